using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The attributes of a bpf(2) request that tell what it does, in the kernel's field names: for the trace only, so it
/// runs only while someone listens. Pointers to user memory are shown by what they hold (a path) or their length.
/// </summary>
internal static unsafe class BpfAttrDecoder
{
    public static string Describe(BpfCommand command, void* attr, uint size)
    {
        switch (command)
        {
            case BpfCommand.MapCreate when size >= 44:
                var map = (MapCreateAttr*)attr;
                return $"map_type={Kernel("BPF_MAP_TYPE_", map->MapType)} key_size={map->KeySize} value_size={map->ValueSize} " +
                       $"max_entries={map->MaxEntries} map_flags=0x{(uint)map->MapFlags:x} map_name=\"{map->MapName}\"" +
                       (map->InnerMapFd != 0 ? $" inner_map_fd={map->InnerMapFd}" : "") + (size >= 52 && map->BtfFd != 0 ? $" btf_fd={map->BtfFd}" : "");
            case BpfCommand.MapLookupElem or BpfCommand.MapUpdateElem or BpfCommand.MapDeleteElem or BpfCommand.MapGetNextKey
                or BpfCommand.MapLookupAndDeleteElem or BpfCommand.MapFreeze when size >= 32:
                var elem = (MapElemAttr*)attr;
                return $"map_fd={elem->MapFd}" + (elem->Flags != 0 ? $" flags=0x{elem->Flags:x}" : "");
            case BpfCommand.MapLookupBatch or BpfCommand.MapLookupAndDeleteBatch or BpfCommand.MapUpdateBatch or BpfCommand.MapDeleteBatch when size >= 56:
                var batch = (MapBatchAttr*)attr;
                return $"map_fd={batch->MapFd} count={batch->Count}";
            case BpfCommand.ProgLoad when size >= 72:
                var prog = (ProgLoadAttr*)attr;
                var text = $"prog_type={Kernel("BPF_PROG_TYPE_", prog->ProgType)} insn_cnt={prog->InsnCnt} " +
                           $"license=\"{Marshal.PtrToStringUTF8((nint)prog->License)}\" prog_name=\"{prog->ProgName}\"";
                if (prog->ExpectedAttachType != 0)
                    text += $" expected_attach_type={Kernel("BPF_", prog->ExpectedAttachType)}";
                if (prog->ProgFlags != 0)
                    text += $" prog_flags=0x{(uint)prog->ProgFlags:x}";
                if (prog->LogLevel != 0)
                    text += $" log_level={prog->LogLevel}";
                if (size >= 112 && prog->ProgBtfFd != 0)
                    text += $" prog_btf_fd={prog->ProgBtfFd} func_info_cnt={prog->FuncInfoCnt} line_info_cnt={prog->LineInfoCnt}";
                if (size >= 112 && prog->AttachBtfId != 0)
                    text += $" attach_btf_id={prog->AttachBtfId}";
                if (size >= 140 && prog->CoreReloCnt != 0)
                    text += $" core_relo_cnt={prog->CoreReloCnt}";
                return text;
            case BpfCommand.ObjPin or BpfCommand.ObjGet when size >= 16:
                var pin = (ObjPinAttr*)attr;
                return $"pathname=\"{Marshal.PtrToStringUTF8((nint)pin->Pathname)}\"" + (command == BpfCommand.ObjPin ? $" bpf_fd={pin->BpfFd}" : "") +
                       (pin->FileFlags != 0 ? $" file_flags=0x{(uint)pin->FileFlags:x}" : "");
            case BpfCommand.ProgTestRun when size >= 76:
                var run = (TestRunAttr*)attr;
                return $"prog_fd={run->ProgFd} data_size_in={run->DataSizeIn} repeat={run->Repeat}" +
                       (run->Flags != 0 ? $" flags=0x{(uint)run->Flags:x} batch_size={run->BatchSize}" : "");
            case BpfCommand.LinkCreate when size >= 16:
                var link = (LinkCreateAttr*)attr;
                return $"prog_fd={link->ProgFd} target={link->TargetFd} attach_type={Kernel("BPF_", link->AttachType)}" + (link->Flags != 0 ? $" flags=0x{link->Flags:x}" : "");
            case BpfCommand.LinkDetach when size >= 4:
                return $"link_fd={((LinkDetachAttr*)attr)->LinkFd}";
            case BpfCommand.ObjGetInfoByFd when size >= 16:
                var info = (InfoByFdAttr*)attr;
                return $"bpf_fd={info->BpfFd} info_len={info->InfoLen}";
            case BpfCommand.ProgGetFdById or BpfCommand.MapGetFdById or BpfCommand.LinkGetFdById or BpfCommand.BtfGetFdById
                or BpfCommand.ProgGetNextId or BpfCommand.MapGetNextId or BpfCommand.LinkGetNextId or BpfCommand.BtfGetNextId when size >= 4:
                return $"id={((GetIdAttr*)attr)->StartId}";
            case BpfCommand.RawTracepointOpen when size >= 12:
                var raw = (RawTracepointOpenAttr*)attr;
                return $"name=\"{Marshal.PtrToStringUTF8((nint)raw->Name)}\" prog_fd={raw->ProgFd}";
            case BpfCommand.BtfLoad when size >= 24:
                var btf = (BtfLoadAttr*)attr;
                return $"btf_size={btf->BtfSize}" + (btf->BtfLogLevel != 0 ? $" btf_log_level={btf->BtfLogLevel}" : "");
            default:
                return $"size={size}";
        }
    }

    private static string Kernel<TEnum>(string prefix, TEnum value) where TEnum : struct, Enum
        => Enum.IsDefined(value) ? prefix + KernelNames.ToUpperSnake(value.ToString()) : $"{Convert.ToUInt64(value)}";
}
