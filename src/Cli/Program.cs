Console.WriteLine("cpumap");
