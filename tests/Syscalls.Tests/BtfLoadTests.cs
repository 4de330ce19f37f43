using System.Buffers.Binary;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>BPF_BTF_LOAD into the real kernel: a SafeHandle-owned fd, and the kernel's BTF log on refusal.</summary>
public sealed class BtfLoadTests
{
    [Fact]
    public void A_valid_blob_loads_and_has_an_id()
    {
        Testing.Kernel.RequireBpf();
        using var btf = Bpf.BtfLoad(IntBlob(bits: 32));

        Assert.True(btf.Id > 0);
        Assert.Null(btf.Log);
        Assert.Equal($"BTF (id {btf.Id})", btf.ToString());
    }

    [Fact]
    public void A_log_is_kept_when_asked_for()
    {
        Testing.Kernel.RequireBpf();
        using var btf = Bpf.BtfLoad(IntBlob(bits: 32), logLevel: 1);

        Assert.Contains("INT", btf.Log);
    }

    [Fact]
    public void A_refused_blob_throws_with_the_kernel_log()
    {
        Testing.Kernel.RequireBpf();
        // An INT of 33 bits in 4 bytes: nr_bits larger than the size.
        var e = Assert.Throws<BtfLoadException>(() => Bpf.BtfLoad(IntBlob(bits: 33)));

        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Equal(BpfCommand.BtfLoad, e.Command);
        Assert.Contains("[1] INT", e.BtfLog);
        Assert.Contains("BTF log (last lines", e.Message);
    }

    [Fact]
    public void A_blob_shorter_than_a_header_is_refused_before_the_kernel()
    {
        var e = Assert.Throws<ArgumentException>(() => Bpf.BtfLoad(new byte[10]));
        Assert.Contains("24-byte struct btf_header", e.Message);
    }

    /// <summary>struct btf_header, one unsigned INT named "a", the strings "\0a\0".</summary>
    private static byte[] IntBlob(uint bits)
    {
        var blob = new byte[24 + 16 + 3];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xeB9F);
        blob[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), 16);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), 3);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(24), 1);       // name_off "a"
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(28), 1u << 24); // BTF_KIND_INT
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(32), 4);       // size
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(36), bits);    // encoding 0, offset 0, nr_bits
        blob[41] = (byte)'a';
        return blob;
    }
}
