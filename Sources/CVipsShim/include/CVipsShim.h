// A small C face over libvips for Swift: plain functions in place of libvips' variadic calls, and
// libvips itself opened at run time, so a missing library is one clear error, not a loader failure.
#ifndef CVIPSSHIM_H
#define CVIPSSHIM_H

#include <stddef.h>

/// An image libvips holds; release it with vips_shim_release.
typedef struct vips_shim_image vips_shim_image;

/// Opens libvips (`GALLERY_LIBVIPS`, else libvips.so.42 / libvips.42.dylib) and starts it, once.
/// 0 on success; otherwise `message` holds why.
int vips_shim_load(char *message, size_t capacity);

/// libvips' version, for example "8.14.1".
const char *vips_shim_version(void);

/// Whether this libvips has an operation of this class name or nickname ("VipsForeignLoadHeifBuffer").
int vips_shim_has_operation(const char *nickname);

/// The class of the loader libvips would pick for these bytes ("VipsForeignLoadJpegBuffer", …), or NULL.
const char *vips_shim_find_loader(const void *bytes, size_t length);

/// What an image's header says, read without decoding its pixels. `height` is one page's (frame's).
typedef struct {
    int width;
    int height;
    int pages;
    int orientation;
    int has_icc_profile;
} vips_shim_header;

/// Reads the header of an encoded image with `loader` (what vips_shim_find_loader found for these
/// bytes): the bytes are classified once, and only the loader the caller accepted reads them. 0 on success.
int vips_shim_read_header(const char *loader, const void *bytes, size_t length, vips_shim_header *header);

/// Decodes `bytes` (the first page) with `loader` (as for vips_shim_read_header) and the loader options `options` (for example
/// "fail_on=truncated,shrink=2": a JPEG decoded at half size), applies the EXIF orientation,
/// shrinks to fit `width` × `height` pixels (never enlarging), converts to 8-bit sRGB (through the
/// embedded ICC profile when `has_icc_profile`) and keeps the result in memory. A truncated or
/// damaged file is an error. 0 on success.
int vips_shim_decode(const char *loader, const void *bytes, size_t length, const char *options, int width,
                     int height, int has_icc_profile, vips_shim_image **out);

/// A copy of `image` shrunk to at most `width` pixels wide. 0 on success.
int vips_shim_shrink(vips_shim_image *image, int width, vips_shim_image **out);

/// The image's size in pixels.
void vips_shim_size(vips_shim_image *image, int *width, int *height);

/// The string metadata field `name` (an EXIF tag, say), or NULL; free it with vips_shim_free.
char *vips_shim_string_field(vips_shim_image *image, const char *name);

/// Removes every metadata field (EXIF, XMP, IPTC, ICC, comments, …) from the image.
void vips_shim_remove_metadata(vips_shim_image *image);

/// Encodes as lossy WebP at `quality` (1–100) and `effort` (0–6: time spent to make it smaller),
/// without metadata. 0 on success; free `*bytes` with vips_shim_free.
int vips_shim_save_webp(vips_shim_image *image, int quality, int effort, void **bytes, size_t *length);

/// Encodes as JPEG (no alpha) or PNG (alpha), without metadata. 0 on success; free `*bytes` with vips_shim_free.
int vips_shim_save_original(vips_shim_image *image, int quality, void **bytes, size_t *length, int *is_png);

/// Releases an image.
void vips_shim_release(vips_shim_image *image);

/// Frees memory libvips allocated.
void vips_shim_free(void *pointer);

/// What libvips reported since the last call (its error log is process-wide), then cleared; free with vips_shim_free.
char *vips_shim_take_error(void);

#endif
