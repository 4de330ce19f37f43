using System.Buffers;
using System.Text;

namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>
    /// BPF_BTF_LOAD: loads a raw BTF blob (struct btf_header, types, strings). On failure the load
    /// is repeated with a BTF log (unless one was asked for), and <see cref="BtfLoadException"/>
    /// carries it, as <see cref="ProgLoad"/> does with the verifier log.
    /// </summary>
    /// <param name="btf">The blob, little-endian.</param>
    /// <param name="logLevel">1 for a log on success too (<see cref="BtfFd.Log"/>), 0 for one only on failure.</param>
    public static BtfFd BtfLoad(ReadOnlySpan<byte> btf, uint logLevel = 0)
    {
        if (btf.Length < 24)
            throw new ArgumentException(
                $"btf is {btf.Length} bytes; a BTF blob starts with the 24-byte struct btf_header (magic 0xeB9F).", nameof(btf));
        if (logLevel > 1)
            throw new ArgumentOutOfRangeException(nameof(logLevel), logLevel, "The BTF log level is 0 (a log only on failure) or 1.");
        fixed (byte* data = btf)
        {
            var attr = new BtfLoadAttr { Btf = (ulong)data, BtfSize = (uint)btf.Length };
            string? log = null;
            var fd = logLevel == 0 ? Interop.Bpf(BpfCommand.BtfLoad, ref attr) : RunWithLog(BpfCommand.BtfLoad, ref attr, 1, out log);
            if (fd < 0)
            {
                var errno = Errno.Last;
                if (log is null && errno is Errno.EINVAL or Errno.EACCES)
                {
                    fd = RunWithLog(BpfCommand.BtfLoad, ref attr, 1, out log);
                    errno = fd < 0 ? Errno.Last : 0;
                }
                if (fd < 0)
                {
                    if (errno == Errno.EPERM)
                        BpfErrors.Throw(BpfCommand.BtfLoad, errno, BpfErrors.Denied(BpfCommand.BtfLoad));
                    if (log is null)
                        BpfErrors.Throw(BpfCommand.BtfLoad, errno);
                    throw new BtfLoadException(errno, BtfLoadHint, log);
                }
            }
            try
            {
                var info = default(BpfBtfInfo);
                GetInfo(fd, ref info);
                return new BtfFd(fd, info.Id, logLevel == 0 ? null : log);
            }
            catch
            {
                Interop.Close(fd);
                throw;
            }
        }
    }

    private const string BtfLoadHint =
        "the kernel refused the BTF: a kind it does not know, or a type it finds invalid; its log names the type and why.";

}
