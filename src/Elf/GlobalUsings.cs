// Only the relocation types come from bpfasm; its BpfProgram (built instructions) is not this project's
// BpfProgram (a function of the object), so the namespace is not imported whole.
global using BpfRelocationType = BpfAsm.BpfRelocationType;
