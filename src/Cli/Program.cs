using CpuMap.Managed.Cli.Commands;

return CpumapCommand.Create().Parse(args).Invoke();
