namespace CpuMap.Managed;

/// <summary>The bpf(2) commands (kernel: <c>enum bpf_cmd</c>, BPF_ prefix dropped).</summary>
public enum BpfCommand
{
    /// <summary>BPF_MAP_CREATE: create a map; returns its fd.</summary>
    MapCreate = 0,
    /// <summary>BPF_MAP_LOOKUP_ELEM: read the value of one key.</summary>
    MapLookupElem = 1,
    /// <summary>BPF_MAP_UPDATE_ELEM: create or replace the value of one key.</summary>
    MapUpdateElem = 2,
    /// <summary>BPF_MAP_DELETE_ELEM: delete one key.</summary>
    MapDeleteElem = 3,
    /// <summary>BPF_MAP_GET_NEXT_KEY: the key after a given one, to walk a map.</summary>
    MapGetNextKey = 4,
    /// <summary>BPF_PROG_LOAD: verify and load a program; returns its fd.</summary>
    ProgLoad = 5,
    /// <summary>BPF_OBJ_PIN: pin a map, program or link fd to a path in bpffs.</summary>
    ObjPin = 6,
    /// <summary>BPF_OBJ_GET: open an fd on an object pinned in bpffs.</summary>
    ObjGet = 7,
    /// <summary>BPF_PROG_ATTACH: attach a program to a cgroup, socket map or other hook (no link).</summary>
    ProgAttach = 8,
    /// <summary>BPF_PROG_DETACH: detach a program attached by BPF_PROG_ATTACH.</summary>
    ProgDetach = 9,
    /// <summary>BPF_PROG_TEST_RUN: run a program once on given input and return its result.</summary>
    ProgTestRun = 10,
    /// <summary>BPF_PROG_GET_NEXT_ID: the next loaded program ID after a given one.</summary>
    ProgGetNextId = 11,
    /// <summary>BPF_MAP_GET_NEXT_ID: the next map ID after a given one.</summary>
    MapGetNextId = 12,
    /// <summary>BPF_PROG_GET_FD_BY_ID: open an fd on a program by its ID.</summary>
    ProgGetFdById = 13,
    /// <summary>BPF_MAP_GET_FD_BY_ID: open an fd on a map by its ID.</summary>
    MapGetFdById = 14,
    /// <summary>BPF_OBJ_GET_INFO_BY_FD: fill a bpf_prog_info, bpf_map_info, bpf_btf_info or bpf_link_info for an fd.</summary>
    ObjGetInfoByFd = 15,
    /// <summary>BPF_PROG_QUERY: list the programs attached to a hook.</summary>
    ProgQuery = 16,
    /// <summary>BPF_RAW_TRACEPOINT_OPEN: attach a program to a raw tracepoint or its fentry/fexit target; returns a link fd.</summary>
    RawTracepointOpen = 17,
    /// <summary>BPF_BTF_LOAD: load BTF type information; returns its fd.</summary>
    BtfLoad = 18,
    /// <summary>BPF_BTF_GET_FD_BY_ID: open an fd on BTF by its ID.</summary>
    BtfGetFdById = 19,
    /// <summary>BPF_TASK_FD_QUERY: what a perf event fd of a task has attached.</summary>
    TaskFdQuery = 20,
    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM: read and delete one key (or pop from a QUEUE or STACK).</summary>
    MapLookupAndDeleteElem = 21,
    /// <summary>BPF_MAP_FREEZE: make a map read-only for user space from now on.</summary>
    MapFreeze = 22,
    /// <summary>BPF_BTF_GET_NEXT_ID: the next BTF ID after a given one.</summary>
    BtfGetNextId = 23,
    /// <summary>BPF_MAP_LOOKUP_BATCH: read many keys in one call.</summary>
    MapLookupBatch = 24,
    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_BATCH: read and delete many keys in one call.</summary>
    MapLookupAndDeleteBatch = 25,
    /// <summary>BPF_MAP_UPDATE_BATCH: update many keys in one call.</summary>
    MapUpdateBatch = 26,
    /// <summary>BPF_MAP_DELETE_BATCH: delete many keys in one call.</summary>
    MapDeleteBatch = 27,
    /// <summary>BPF_LINK_CREATE: attach a program to a hook as a link; returns the link fd.</summary>
    LinkCreate = 28,
    /// <summary>BPF_LINK_UPDATE: replace the program of a link.</summary>
    LinkUpdate = 29,
    /// <summary>BPF_LINK_GET_FD_BY_ID: open an fd on a link by its ID.</summary>
    LinkGetFdById = 30,
    /// <summary>BPF_LINK_GET_NEXT_ID: the next link ID after a given one.</summary>
    LinkGetNextId = 31,
    /// <summary>BPF_ENABLE_STATS: turn on run-time statistics (run_cnt, run_time_ns) for as long as the fd is open.</summary>
    EnableStats = 32,
    /// <summary>BPF_ITER_CREATE: open a readable fd on an iterator link.</summary>
    IterCreate = 33,
    /// <summary>BPF_LINK_DETACH: detach a link from its hook while its fd stays open.</summary>
    LinkDetach = 34,
    /// <summary>BPF_PROG_BIND_MAP: keep a map alive for as long as a program, without the program using it.</summary>
    ProgBindMap = 35,
}
