// The part of libvips' (and GLib's) C API the shim calls, declared by hand so the shim builds and
// links without libvips: the library is opened at run time. CVipsCheck compiles these declarations
// against libvips' own headers, so a mismatch is a build error in the tests, not a crash.
#ifndef VIPS_API_H
#define VIPS_API_H

#include <stdarg.h>
#include <stddef.h>

typedef struct _VipsImage VipsImage;
typedef struct _VipsArea VipsArea;
typedef struct _VipsBlob VipsBlob;

#define VIPS_API_MAX_COORD 10000000
#define VIPS_API_INTERPRETATION_SRGB 22
#define VIPS_API_FORMAT_UCHAR 0
#define VIPS_API_SIZE_DOWN 2
#define VIPS_API_ACCESS_SEQUENTIAL 1

// X(name, return type, parameter list): every function the shim looks up.
#define VIPS_API_FUNCTIONS(X)                                                                      \
    X(vips_init, int, (const char *))                                                              \
    X(vips_version_string, const char *, (void))                                                   \
    X(vips_cache_set_max, void, (int))                                                             \
    X(vips_concurrency_set, void, (int))                                                           \
    X(vips_type_find, unsigned long, (const char *, const char *))                                 \
    X(vips_foreign_find_load_buffer, const char *, (const void *, size_t))                         \
    X(vips_blob_new, VipsBlob *, (int (*)(void *, void *), const void *, size_t))                  \
    X(vips_area_unref, void, (VipsArea *))                                                         \
    X(vips_call_split_option_string, int, (const char *, const char *, va_list, ...))              \
    X(vips_image_get_width, int, (const VipsImage *))                                              \
    X(vips_image_get_height, int, (const VipsImage *))                                             \
    X(vips_image_get_n_pages, int, (VipsImage *))                                                  \
    X(vips_image_get_orientation, int, (VipsImage *))                                              \
    X(vips_image_get_interpretation, int, (const VipsImage *))                                     \
    X(vips_image_get_format, int, (const VipsImage *))                                             \
    X(vips_image_hasalpha, int, (VipsImage *))                                                     \
    X(vips_image_get_fields, char **, (VipsImage *))                                               \
    X(vips_image_get_typeof, unsigned long, (const VipsImage *, const char *))                     \
    X(vips_image_get_string, int, (const VipsImage *, const char *, const char **))                \
    X(vips_image_remove, int, (VipsImage *, const char *))                                         \
    X(vips_image_copy_memory, VipsImage *, (VipsImage *))                                          \
    X(vips_thumbnail_image, int, (VipsImage *, VipsImage **, int, ...))                            \
    X(vips_colourspace, int, (VipsImage *, VipsImage **, int, ...))                                \
    X(vips_webpsave_buffer, int, (VipsImage *, void **, size_t *, ...))                            \
    X(vips_jpegsave_buffer, int, (VipsImage *, void **, size_t *, ...))                            \
    X(vips_pngsave_buffer, int, (VipsImage *, void **, size_t *, ...))                             \
    X(vips_error_buffer_copy, char *, (void))                                                      \
    X(vips_error_clear, void, (void))                                                              \
    X(g_object_unref, void, (void *))                                                              \
    X(g_strfreev, void, (char **))                                                                 \
    X(g_free, void, (void *))                                                                      \
    X(g_malloc, void *, (size_t))                                                                  \
    X(g_strdup, char *, (const char *))

// libwebpmux (a dependency of libvips, so loaded with it): libvips 8.14's WebP writer adds an EXIF
// chunk of its own even with "strip" set; the shim takes metadata chunks out with the muxer.
#ifndef WEBP_WEBP_MUX_H_
typedef struct WebPMux WebPMux;
typedef struct WebPData WebPData;
struct WebPData {
    const unsigned char *bytes;
    size_t size;
};
#endif
#define VIPS_API_WEBP_MUX_ABI_VERSION 0x0108
#define VIPS_API_WEBP_MUX_OK 1

#define VIPS_API_WEBP_FUNCTIONS(X)                                                                 \
    X(WebPMuxCreateInternal, WebPMux *, (const WebPData *, int, int))                              \
    X(WebPMuxDeleteChunk, int, (WebPMux *, const char *))                                          \
    X(WebPMuxAssemble, int, (WebPMux *, WebPData *))                                               \
    X(WebPMuxDelete, void, (WebPMux *))                                                            \
    X(WebPFree, void, (void *))

// Looked up when present: libvips 8.13 and later.
#define VIPS_API_OPTIONAL_FUNCTIONS(X) X(vips_block_untrusted_set, void, (int))

#define VIPS_API_TYPEDEF(name, result, parameters) typedef result(*vips_api_##name) parameters;
VIPS_API_FUNCTIONS(VIPS_API_TYPEDEF)
VIPS_API_OPTIONAL_FUNCTIONS(VIPS_API_TYPEDEF)
VIPS_API_WEBP_FUNCTIONS(VIPS_API_TYPEDEF)
#undef VIPS_API_TYPEDEF

#endif
