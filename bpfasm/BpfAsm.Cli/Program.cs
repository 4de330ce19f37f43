Console.WriteLine("bpfasm");
