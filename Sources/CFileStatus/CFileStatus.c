#include "CFileStatus.h"

#include <sys/stat.h>

static void fill(const struct stat *info, file_status *out) {
    out->device = (uint64_t)info->st_dev;
    out->inode = (uint64_t)info->st_ino;
    out->size = (int64_t)info->st_size;
    out->is_directory = S_ISDIR(info->st_mode);
    out->is_regular_file = S_ISREG(info->st_mode);
#if defined(__APPLE__)
    out->modified_seconds = (int64_t)info->st_mtimespec.tv_sec;
    out->modified_nanoseconds = (int64_t)info->st_mtimespec.tv_nsec;
#else
    out->modified_seconds = (int64_t)info->st_mtim.tv_sec;
    out->modified_nanoseconds = (int64_t)info->st_mtim.tv_nsec;
#endif
}

int file_status_of_path(const char *path, int follow_links, file_status *out) {
    struct stat info;
    if ((follow_links ? stat(path, &info) : lstat(path, &info)) != 0) return -1;
    fill(&info, out);
    return 0;
}

int file_status_of_descriptor(int descriptor, file_status *out) {
    struct stat info;
    if (fstat(descriptor, &info) != 0) return -1;
    fill(&info, out);
    return 0;
}
