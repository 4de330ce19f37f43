global using CpuMap.Managed.Testing;
