using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// One NETLINK_ROUTE socket: sends a request and reads the replies up to its ack, NLMSG_DONE or
/// error. The socket stays in the network namespace it was created in, whatever thread uses it.
/// </summary>
internal sealed unsafe class NetlinkSocket : SafeHandle
{
    /// <summary>Holds a dump chunk (the kernel fills about 32 KiB); larger datagrams grow it.</summary>
    private byte[] _receiveBuffer;
    private uint _seq = (uint)Environment.TickCount;

    private NetlinkSocket(int receiveBufferSize) : base(invalidHandleValue: -1, ownsHandle: true)
        => _receiveBuffer = new byte[receiveBufferSize];

    public override bool IsInvalid => handle < 0;

    /// <summary>Receives the payload (after nlmsghdr) of each reply message that is not an ack.</summary>
    public delegate void ReplyHandler(ushort type, ReadOnlySpan<byte> payload);

    /// <summary>Opens a NETLINK_ROUTE socket in the calling thread's network namespace, with extended acks on.</summary>
    /// <param name="receiveBufferSize">The first receive buffer's size; tests make it small to exercise the growth.</param>
    public static NetlinkSocket Open(int receiveBufferSize = 64 * 1024)
    {
        var socket = new NetlinkSocket(receiveBufferSize);
        var fd = Interop.Socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, Interop.NETLINK_ROUTE);
        if (fd < 0)
            throw BpfOperationException.SystemCall("socket(AF_NETLINK, NETLINK_ROUTE)", Errno.Last, "the kernel lacks netlink " +
                "or the process may not create sockets (seccomp).");
        socket.SetHandle(fd);
        try
        {
            // Best effort: kernels before 4.12 have no extended ack, and errors then simply carry no kernel message.
            var one = 1;
            Interop.SetSockOpt(socket, Interop.SOL_NETLINK, Interop.NETLINK_EXT_ACK, &one, sizeof(int));
            Interop.SetSockOpt(socket, Interop.SOL_NETLINK, Interop.NETLINK_CAP_ACK, &one, sizeof(int));
            var address = new Interop.SockaddrNl { Family = Interop.AF_NETLINK };
            if (Interop.Bind(socket, &address, (uint)sizeof(Interop.SockaddrNl)) < 0)
                throw BpfOperationException.SystemCall("bind(AF_NETLINK)", Errno.Last, "see bind(2) and netlink(7).");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return socket;
    }

    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;

    /// <summary>
    /// Sends <paramref name="request"/> and reads until its ack (NLM_F_ACK is added unless it is a
    /// dump) or NLMSG_DONE. An error reply throws <see cref="NetlinkException"/> with
    /// <paramref name="hint"/>'s sentence, or the generic one when it returns null.
    /// </summary>
    public void Transact(NetlinkMessageBuilder request, ReplyHandler? onReply = null, Func<Errno, string?>? hint = null)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (!request.IsDump)
            request.Flags |= NetlinkFlags.Ack;
        var seq = ++_seq;
        var bytes = request.Finish(seq);
        if (KernelTrace.IsListening)
        {
            TracedTransact(request, bytes, seq, onReply, hint);
            return;
        }
        Send(bytes);
        ReadReplies(request, seq, onReply, hint);
    }

    /// <summary>The same request, reported to <see cref="KernelTrace"/> with its answer (0, or -1 and the errno it failed with).</summary>
    private void TracedTransact(NetlinkMessageBuilder request, ReadOnlySpan<byte> bytes, uint seq, ReplyHandler? onReply, Func<Errno, string?>? hint)
    {
        var attributes = NetlinkRequestDecoder.Describe(request, bytes);
        var started = KernelTrace.Start();
        try
        {
            Send(bytes);
            ReadReplies(request, seq, onReply, hint);
            KernelTrace.Report("netlink", NetlinkException.RequestName(request.Type), attributes, 0, 0, started);
        }
        catch (NetlinkException e)
        {
            KernelTrace.Report("netlink", NetlinkException.RequestName(request.Type), attributes, -1, (int)e.Errno, started);
            throw;
        }
    }

    private void ReadReplies(NetlinkMessageBuilder request, uint seq, ReplyHandler? onReply, Func<Errno, string?>? hint)
    {
        while (true)
        {
            var received = Receive();
            var rest = _receiveBuffer.AsSpan(0, received);
            while (rest.Length >= sizeof(NlMsgHdr))
            {
                var header = MemoryMarshal.Read<NlMsgHdr>(rest);
                if (header.Len < sizeof(NlMsgHdr) || header.Len > rest.Length)
                    throw new BpfOperationException(NetlinkException.RequestName(request.Type), $"The kernel sent a netlink message of length {header.Len} in a {rest.Length}-byte datagram.");
                var payload = rest[sizeof(NlMsgHdr)..(int)header.Len];
                rest = rest[Math.Min(NetlinkMessageBuilder.Align((int)header.Len), rest.Length)..];
                if (header.Seq != seq)
                    continue; // a late reply to an earlier request that was abandoned by an exception
                switch (header.Type)
                {
                    case NlMsgHdr.NLMSG_ERROR:
                        ThrowIfError(request.Type, header.Flags, payload, hint);
                        return;
                    case NlMsgHdr.NLMSG_DONE:
                        if (payload.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(payload) < 0)
                            Fail(request.Type, (Errno)(-BinaryPrimitives.ReadInt32LittleEndian(payload)), ExtAckMessage(payload[4..], header.Flags), hint);
                        return;
                    default:
                        onReply?.Invoke(header.Type, payload);
                        break;
                }
            }
        }
    }

    private void Send(ReadOnlySpan<byte> bytes)
    {
        var address = new Interop.SockaddrNl { Family = Interop.AF_NETLINK };
        fixed (byte* p = bytes)
        {
            while (Interop.SendTo(this, p, (nuint)bytes.Length, 0, &address, (uint)sizeof(Interop.SockaddrNl)) < 0)
            {
                var errno = Errno.Last;
                if (errno != Errno.EINTR)
                    throw BpfOperationException.SystemCall("sendto(NETLINK_ROUTE)", errno, "see sendto(2) and netlink(7).");
            }
        }
    }

    /// <summary>
    /// Receives one datagram whole: a device with many SR-IOV VFs can describe itself in more
    /// than 64 KiB, so the size is peeked first (MSG_PEEK | MSG_TRUNC answers the full length).
    /// </summary>
    private int Receive()
    {
        var size = RecvRetryingEintr(Interop.MSG_PEEK | Interop.MSG_TRUNC);
        if (size > _receiveBuffer.Length)
            _receiveBuffer = new byte[size];
        return RecvRetryingEintr(0);
    }

    private int RecvRetryingEintr(int flags)
    {
        fixed (byte* p = _receiveBuffer)
        {
            while (true)
            {
                var n = Interop.Recv(this, p, (nuint)_receiveBuffer.Length, flags);
                if (n >= 0)
                    return (int)n;
                var errno = Errno.Last;
                if (errno != Errno.EINTR)
                    throw BpfOperationException.SystemCall("recv(NETLINK_ROUTE)", errno, "see recv(2) and netlink(7).");
            }
        }
    }

    /// <summary>
    /// struct nlmsgerr: int error, the request's nlmsghdr, the request's payload unless
    /// NLM_F_CAPPED, then extended-ack attributes when NLM_F_ACK_TLVS. error 0 is the ack.
    /// </summary>
    private static void ThrowIfError(RtmType request, ushort flags, ReadOnlySpan<byte> payload, Func<Errno, string?>? hint)
    {
        if (payload.Length < 4 + sizeof(NlMsgHdr))
            throw new BpfOperationException(NetlinkException.RequestName(request), $"The kernel sent a {payload.Length}-byte NLMSG_ERROR, shorter than struct nlmsgerr.");
        var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (error == 0)
            return;
        var echoed = MemoryMarshal.Read<NlMsgHdr>(payload[4..]);
        var tlvStart = 4 + sizeof(NlMsgHdr);
        if ((flags & (ushort)NetlinkFlags.Capped) == 0)
            tlvStart += NetlinkMessageBuilder.Align((int)echoed.Len - sizeof(NlMsgHdr));
        Fail(request, (Errno)(-error), tlvStart <= payload.Length ? ExtAckMessage(payload[tlvStart..], flags) : null, hint);
    }

    private static string? ExtAckMessage(ReadOnlySpan<byte> tlvs, ushort flags)
    {
        if ((flags & (ushort)NetlinkFlags.AckTlvs) == 0)
            return null;
        var reader = new NetlinkAttributeReader(tlvs);
        while (reader.MoveNext())
        {
            if (reader.Type == Ifla.NLMSGERR_ATTR_MSG)
                return reader.String;
        }
        return null;
    }

    private static void Fail(RtmType request, Errno errno, string? kernelMessage, Func<Errno, string?>? hint)
        => throw new NetlinkException(request, errno, kernelMessage, hint?.Invoke(errno) ?? NetlinkErrors.Hint(request, errno));
}
