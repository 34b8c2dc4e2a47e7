#include "CVipsCheck.h"

#include <stddef.h>
#include <vips/vips.h>
#include <webp/mux.h>

#include "vips_api.h"

// Every function the shim looks up has the type libvips' headers give it.
#define VIPS_CHECK(name, result, parameters)                                                       \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), vips_api_##name),               \
                   "vips_api.h declares " #name " unlike libvips' headers");
VIPS_API_FUNCTIONS(VIPS_CHECK)
VIPS_API_OPTIONAL_FUNCTIONS(VIPS_CHECK)
VIPS_API_WEBP_FUNCTIONS(VIPS_CHECK)

// The shim's own WebPData (used where libwebp's headers are absent) has libwebp's layout.
_Static_assert(offsetof(WebPData, bytes) == 0 && offsetof(WebPData, size) == sizeof(void *), "WebPData");
_Static_assert(VIPS_API_WEBP_MUX_ABI_VERSION >> 8 == WEBP_MUX_ABI_VERSION >> 8, "WEBP_MUX_ABI_VERSION");
_Static_assert(VIPS_API_WEBP_MUX_OK == WEBP_MUX_OK, "WEBP_MUX_OK");

_Static_assert(VIPS_API_MAX_COORD == VIPS_MAX_COORD, "VIPS_MAX_COORD");
_Static_assert(VIPS_API_INTERPRETATION_SRGB == VIPS_INTERPRETATION_sRGB, "VIPS_INTERPRETATION_sRGB");
_Static_assert(VIPS_API_FORMAT_UCHAR == VIPS_FORMAT_UCHAR, "VIPS_FORMAT_UCHAR");
_Static_assert(VIPS_API_SIZE_DOWN == VIPS_SIZE_DOWN, "VIPS_SIZE_DOWN");
_Static_assert(VIPS_API_ACCESS_SEQUENTIAL == VIPS_ACCESS_SEQUENTIAL, "VIPS_ACCESS_SEQUENTIAL");

#define VIPS_COUNT(name, result, parameters) +1
int vips_api_checked_declarations(void) {
    return 0 VIPS_API_FUNCTIONS(VIPS_COUNT) VIPS_API_OPTIONAL_FUNCTIONS(VIPS_COUNT) VIPS_API_WEBP_FUNCTIONS(VIPS_COUNT);
}
