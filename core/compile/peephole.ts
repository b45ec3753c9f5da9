/**
 * The compiled code's peephole pass and instruction lengths.
 *
 * @module
 */
import * as op from "../../wasm/opcodes.ts";

/**
 * Peephole pass: a JMP to a JMP goes straight to the final target, and a JMP
 * to RET or HALT becomes that instruction (its operand word is never read).
 */
export function threadJumps(code: number[]): void {
  for (let pc = 0; pc < code.length;) {
    const len = instructionLength(code, pc);
    if (code[pc] === op.OP_JMP) {
      let target = code[pc + 1]!;
      for (let hops = 0; code[target] === op.OP_JMP && hops < 64; hops++) target = code[target + 1]!;
      if (code[target] === op.OP_RET || code[target] === op.OP_HALT) code[pc] = code[target]!;
      else code[pc + 1] = target;
    }
    pc += len;
  }
}

/** Words taken by the instruction at `pc`. */
export function instructionLength(code: number[], pc: number): number {
  switch (code[pc]) {
    case op.OP_HALT:
    case op.OP_RET:
    case op.OP_UNIQUE:
    case op.OP_FAIL:
      return 1;
    case op.OP_CALL:
    case op.OP_JMP:
    case op.OP_TABLE_NAME:
    case op.OP_COL_NAME:
    case op.OP_COL_TYPE:
    case op.OP_COL_UNIQUE:
      return 2;
    case op.OP_LIT:
    case op.OP_COL_LIT:
    case op.OP_SWITCH_COL:
    case op.OP_LIT_UNIQUE:
      return 3;
    case op.OP_LIT_TABLE_NAME:
      return 4;
    case op.OP_LIT_COL_LIT:
      return 5;
    case op.OP_MAYBE:
    case op.OP_LIT_COL_NAME:
    case op.OP_REP_NEXT:
    case op.OP_PICK_TABLE:
    case op.OP_EACH_BEGIN:
    case op.OP_EACH_NEXT:
    case op.OP_EACH_NEXT_SW:
    case op.OP_FK_NEXT:
      return 4;
    case op.OP_NUM:
    case op.OP_REP_BEGIN:
    case op.OP_PICK_FK:
    case op.OP_FK_BEGIN:
      return 5;
    case op.OP_PICK_COL:
      return 5;
    case op.OP_PICK_COLS:
      return 8;
    case op.OP_COL_NAMES:
      return 9;
    case op.OP_CHOICE:
      return 4 + 3 * code[pc + 1]!;
    case op.OP_POOL:
      return 2 + 2 * code[pc + 1]!;
    default:
      throw new Error(`compiler bug: unknown opcode ${code[pc]} at word ${pc}`);
  }
}
