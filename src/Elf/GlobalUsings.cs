// The instruction model comes from bpfasm; its BpfProgram (built instructions) is not this project's
// BpfProgram (a function of the object), so the namespace is not imported whole.
global using BpfRelocationType = BpfAsm.BpfRelocationType;
global using Instruction = BpfAsm.Instruction;
global using InstructionMetadata = BpfAsm.InstructionMetadata;
