using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>Writes the `.values = { [i] = &amp;x }` slots of a PROG_ARRAY or map-in-map: key i gets the fd of x.</summary>
internal static class InitialValues
{
    public static void Fill(string objectName, LoadedMap map, BpfMapDefinition definition, Func<string, BpfFd> fdOf)
    {
        if (map.Fd.KeySize != sizeof(uint) || map.Fd.ValueSize != sizeof(uint))
            throw new BpfLoadException(objectName, map.Name, null,
                $"initial values need a 4-byte key and a 4-byte value (an index and an fd), but the map has key_size {map.Fd.KeySize} and value_size {map.Fd.ValueSize}");
        foreach (var value in definition.InitialValues)
        {
            var fd = fdOf(value.Name).Fd;
            try
            {
                Bpf.MapUpdateElem(map.Fd, value.Index, fd);
            }
            catch (BpfException e)
            {
                throw new BpfLoadException(objectName, map.Name, null, $"setting slot {value.Index} to '{value.Name}' failed", e);
            }
        }
    }
}
