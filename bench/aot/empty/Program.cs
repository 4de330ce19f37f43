// Nothing: the process starts the runtime, runs Main and exits. See Empty.csproj.
return 0;
