// Embeds a file's bytes in the binary with the assembler's .incbin: no code generation step, no
// size limit of string literals, and the bytes live in .rodata. CREDO_INCBIN(sym, "path") defines
// sym_begin and sym_end (followed by a NUL byte); the path is read when the file is compiled.
#pragma once

#define CREDO_INCBIN(sym, file)                                   \
  __asm__(".section .rodata\n"                                    \
          ".global " #sym "_begin\n"                              \
          ".balign 16\n" #sym "_begin:\n"                         \
          ".incbin \"" file "\"\n"                                \
          ".global " #sym "_end\n" #sym "_end:\n"                 \
          ".byte 0\n"                                             \
          ".previous\n");                                         \
  extern "C" const char sym##_begin[];                            \
  extern "C" const char sym##_end[];
