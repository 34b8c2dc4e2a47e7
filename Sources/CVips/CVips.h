// libvips' headers, as a module. Only CVipsCheck reads them: the shim opens the library at run time.
#include <vips/vips.h>
