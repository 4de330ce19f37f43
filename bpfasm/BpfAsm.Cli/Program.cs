return BpfAsm.Cli.BpfAsmCommand.Run(args, Console.Out, Console.Error);
