#include "CVipsShim.h"

#include "vips_api.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIPS_SHIM_DECLARE(name, result, parameters) static vips_api_##name p_##name;
VIPS_API_FUNCTIONS(VIPS_SHIM_DECLARE)
VIPS_API_OPTIONAL_FUNCTIONS(VIPS_SHIM_DECLARE)
VIPS_API_WEBP_FUNCTIONS(VIPS_SHIM_DECLARE)

struct vips_shim_image {
    VipsImage *image;
};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];

#if defined(__APPLE__)
static const char *const library_names[] = {"libvips.42.dylib", "/opt/homebrew/lib/libvips.42.dylib",
                                             "/usr/local/lib/libvips.42.dylib"};
#else
static const char *const library_names[] = {"libvips.so.42"};
#endif

static void load(void) {
    void *library = NULL;
    // GALLERY_LIBVIPS names the library where it is not on the loader's path.
    const char *chosen = getenv("GALLERY_LIBVIPS");
    if (chosen && chosen[0]) {
        library = dlopen(chosen, RTLD_NOW | RTLD_GLOBAL);
    } else {
        for (size_t i = 0; i < sizeof(library_names) / sizeof(library_names[0]) && !library; i++) {
            library = dlopen(library_names[i], RTLD_NOW | RTLD_GLOBAL);
        }
    }
    if (!library) {
        snprintf(load_error, sizeof(load_error), "%s", dlerror());
        return;
    }
#define VIPS_SHIM_RESOLVE(name, result, parameters)                                                \
    if (!(p_##name = (vips_api_##name)dlsym(library, #name))) {                                    \
        snprintf(load_error, sizeof(load_error), "%s has no function %s", "libvips", #name);       \
        return;                                                                                    \
    }
    VIPS_API_FUNCTIONS(VIPS_SHIM_RESOLVE)
    VIPS_API_WEBP_FUNCTIONS(VIPS_SHIM_RESOLVE)
    p_vips_block_untrusted_set = (vips_api_vips_block_untrusted_set)dlsym(library, "vips_block_untrusted_set");
    if (p_vips_init("gallery") != 0) {
        char *why = p_vips_error_buffer_copy();
        snprintf(load_error, sizeof(load_error), "libvips did not start: %s", why ? why : "");
        p_g_free(why);
        return;
    }
    // Only loaders that are fuzzed and safe for untrusted input (libvips 8.13 and later; the caller
    // also picks the loader itself); one image never spreads over several threads (the caller runs
    // at most one image per core); no cache of past operations.
    if (p_vips_block_untrusted_set) p_vips_block_untrusted_set(1);
    p_vips_concurrency_set(1);
    p_vips_cache_set_max(0);
}

int vips_shim_load(char *message, size_t capacity) {
    pthread_once(&load_once, load);
    if (load_error[0] == 0) return 0;
    if (message && capacity > 0) snprintf(message, capacity, "%s", load_error);
    return -1;
}

const char *vips_shim_version(void) { return p_vips_version_string(); }

int vips_shim_has_operation(const char *nickname) {
    return p_vips_type_find("VipsOperation", nickname) != 0;
}

const char *vips_shim_find_loader(const void *bytes, size_t length) {
    const char *loader = p_vips_foreign_find_load_buffer(bytes, length);
    if (!loader) p_vips_error_clear();
    return loader;
}

// Opens `bytes` with `loader`, the one the caller chose from what vips_shim_find_loader found and
// checked against the formats it accepts. (vips_image_new_from_buffer would look for a loader
// again, reading the bytes a second time.) The optional arguments end with NULL.
static VipsImage *open_with(const char *loader, const void *bytes, size_t length, const char *options, ...) {
    // The blob borrows the bytes; they outlive the image's use here.
    VipsBlob *blob = p_vips_blob_new(NULL, bytes, length);
    if (!blob) return NULL;
    VipsImage *out = NULL;
    va_list optional;
    va_start(optional, options);
    int result = p_vips_call_split_option_string(loader, options, optional, blob, &out);
    va_end(optional);
    p_vips_area_unref((VipsArea *)blob);
    return result ? NULL : out;
}

int vips_shim_read_header(const char *loader, const void *bytes, size_t length, vips_shim_header *header) {
    VipsImage *image = open_with(loader, bytes, length, "", NULL);
    if (!image) return -1;
    header->width = p_vips_image_get_width(image);
    header->height = p_vips_image_get_height(image);
    header->pages = p_vips_image_get_n_pages(image);
    header->orientation = p_vips_image_get_orientation(image);
    header->has_icc_profile = p_vips_image_get_typeof(image, "icc-profile-data") != 0;
    p_g_object_unref(image);
    return 0;
}

static vips_shim_image *wrap(VipsImage *image) {
    vips_shim_image *wrapped = malloc(sizeof(vips_shim_image));
    if (!wrapped) {
        p_g_object_unref(image);
        return NULL;
    }
    wrapped->image = image;
    return wrapped;
}

int vips_shim_decode(const char *loader, const void *bytes, size_t length, const char *options, int width,
                     int height, int has_icc_profile, vips_shim_image **out) {
    // Read once, front to back; nothing is decoded until the pixels are asked for.
    VipsImage *loaded = open_with(loader, bytes, length, options, "access", VIPS_API_ACCESS_SEQUENTIAL, NULL);
    if (!loaded) return -1;
    VipsImage *thumbnail = NULL;
    // The EXIF orientation applied, an embedded ICC profile used to reach sRGB (without
    // "export_profile" the pixels would stay in the profile's space).
    int status = has_icc_profile
                     ? p_vips_thumbnail_image(loaded, &thumbnail, width, "height", height, "size",
                                              VIPS_API_SIZE_DOWN, "export_profile", "srgb", NULL)
                     : p_vips_thumbnail_image(loaded, &thumbnail, width, "height", height, "size",
                                              VIPS_API_SIZE_DOWN, NULL);
    p_g_object_unref(loaded);
    if (status) return -1;
    VipsImage *srgb = thumbnail;
    if (p_vips_image_get_interpretation(thumbnail) != VIPS_API_INTERPRETATION_SRGB ||
        p_vips_image_get_format(thumbnail) != VIPS_API_FORMAT_UCHAR) {
        if (p_vips_colourspace(thumbnail, &srgb, VIPS_API_INTERPRETATION_SRGB, NULL)) {
            p_g_object_unref(thumbnail);
            return -1;
        }
        p_g_object_unref(thumbnail);
    }
    // Decode once: every rendition is made from these pixels.
    VipsImage *memory = p_vips_image_copy_memory(srgb);
    p_g_object_unref(srgb);
    if (!memory) return -1;
    *out = wrap(memory);
    return *out ? 0 : -1;
}

int vips_shim_shrink(vips_shim_image *image, int width, vips_shim_image **out) {
    VipsImage *smaller = NULL;
    if (p_vips_thumbnail_image(image->image, &smaller, width, "height", VIPS_API_MAX_COORD, "size",
                               VIPS_API_SIZE_DOWN, "no_rotate", 1, NULL))
        return -1;
    VipsImage *memory = p_vips_image_copy_memory(smaller);
    p_g_object_unref(smaller);
    if (!memory) return -1;
    *out = wrap(memory);
    return *out ? 0 : -1;
}

void vips_shim_size(vips_shim_image *image, int *width, int *height) {
    *width = p_vips_image_get_width(image->image);
    *height = p_vips_image_get_height(image->image);
}

char *vips_shim_string_field(vips_shim_image *image, const char *name) {
    const char *value = NULL;
    if (!p_vips_image_get_typeof(image->image, name)) return NULL;
    if (p_vips_image_get_string(image->image, name, &value) || !value) {
        p_vips_error_clear();
        return NULL;
    }
    return p_g_strdup(value);
}

void vips_shim_remove_metadata(vips_shim_image *image) {
    // Header fields (width, bands, …) are not metadata: removing them does nothing.
    char **fields = p_vips_image_get_fields(image->image);
    for (char **field = fields; field && *field; field++) p_vips_image_remove(image->image, *field);
    p_g_strfreev(fields);
}

// A copy of the WebP file without its EXIF, XMP and ICC chunks, in memory from g_malloc.
static int remove_webp_metadata(const void *bytes, size_t length, void **out, size_t *out_length) {
    WebPData input = {bytes, length};
    WebPMux *mux = p_WebPMuxCreateInternal(&input, 0, VIPS_API_WEBP_MUX_ABI_VERSION);
    if (!mux) return -1;
    p_WebPMuxDeleteChunk(mux, "EXIF");
    p_WebPMuxDeleteChunk(mux, "XMP ");
    p_WebPMuxDeleteChunk(mux, "ICCP");
    WebPData assembled = {NULL, 0};
    int status = p_WebPMuxAssemble(mux, &assembled);
    p_WebPMuxDelete(mux);
    if (status != VIPS_API_WEBP_MUX_OK) return -1;
    *out = p_g_malloc(assembled.size);
    memcpy(*out, assembled.bytes, assembled.size);
    *out_length = assembled.size;
    p_WebPFree((void *)assembled.bytes);
    return 0;
}

int vips_shim_save_webp(vips_shim_image *image, int quality, int effort, void **bytes, size_t *length) {
    void *encoded = NULL;
    size_t encoded_length = 0;
    if (p_vips_webpsave_buffer(image->image, &encoded, &encoded_length, "Q", quality, "effort", effort, "strip", 1,
                               NULL))
        return -1;
    int status = remove_webp_metadata(encoded, encoded_length, bytes, length);
    p_g_free(encoded);
    return status;
}

int vips_shim_save_original(vips_shim_image *image, int quality, void **bytes, size_t *length, int *is_png) {
    *is_png = p_vips_image_hasalpha(image->image) ? 1 : 0;
    if (*is_png) return p_vips_pngsave_buffer(image->image, bytes, length, "strip", 1, NULL);
    return p_vips_jpegsave_buffer(image->image, bytes, length, "Q", quality, "strip", 1, NULL);
}

void vips_shim_release(vips_shim_image *image) {
    if (!image) return;
    p_g_object_unref(image->image);
    free(image);
}

void vips_shim_free(void *pointer) { p_g_free(pointer); }

char *vips_shim_take_error(void) {
    char *message = p_vips_error_buffer_copy();
    p_vips_error_clear();
    return message;
}
