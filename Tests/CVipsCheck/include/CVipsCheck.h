// Compiles the shim's hand-written libvips declarations against libvips' own headers.
#ifndef CVIPSCHECK_H
#define CVIPSCHECK_H

/// How many declarations were checked (at compile time: a mismatch does not build).
int vips_api_checked_declarations(void);

#endif
