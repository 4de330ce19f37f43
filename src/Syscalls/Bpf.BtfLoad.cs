using System.Buffers;
using System.Runtime.InteropServices;
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
            var fd = logLevel == 0 ? Interop.Bpf(BpfCommand.BtfLoad, ref attr) : BtfLoadWithLog(ref attr, out log);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (log is null && errno is Errno.EINVAL or Errno.EACCES)
                {
                    fd = BtfLoadWithLog(ref attr, out log);
                    errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
                }
                if (fd < 0)
                {
                    if (errno == Errno.EPERM)
                        BpfErrors.Throw(BpfCommand.BtfLoad, errno, BpfErrors.Denied(BpfCommand.BtfLoad));
                    if (log is null)
                        BpfErrors.Throw(BpfCommand.BtfLoad, errno);
                    throw new BtfLoadException(new Errno(errno), BtfLoadHint, log);
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

    private static int BtfLoadWithLog(ref BtfLoadAttr attr, out string log)
    {
        var size = InitialLogSize;
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                fixed (byte* logBuf = buffer)
                {
                    buffer[0] = 0;
                    attr.BtfLogLevel = 1;
                    attr.BtfLogSize = (uint)buffer.Length;
                    attr.BtfLogBuf = (ulong)logBuf;
                    attr.BtfLogTrueSize = 0;
                    var fd = Interop.Bpf(BpfCommand.BtfLoad, ref attr);
                    var errno = Marshal.GetLastPInvokeError();
                    var written = buffer.AsSpan(0, (int)attr.BtfLogSize);
                    var end = written.IndexOf((byte)0);
                    log = Encoding.UTF8.GetString(end < 0 ? written : written[..end]);
                    var trueSize = attr.BtfLogTrueSize;
                    attr.BtfLogLevel = 0;
                    attr.BtfLogSize = 0;
                    attr.BtfLogBuf = 0;
                    attr.BtfLogTrueSize = 0;
                    if (fd >= 0 || errno != Errno.ENOSPC || buffer.Length >= MaxLogSize)
                    {
                        Marshal.SetLastPInvokeError(errno);
                        return fd;
                    }
                    size = trueSize > buffer.Length ? (int)Math.Min(trueSize, (uint)MaxLogSize) : Math.Min(buffer.Length * 2, MaxLogSize);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
