#ifndef CFILESTATUS_H
#define CFILESTATUS_H

// `stat` for Swift, through a struct of this module's own. Read from Swift directly, `struct stat`
// is declared by the C library's module and by CoreFoundation's and Dispatch's (which include the
// same header); which of them the compiler takes as its home depends on how it batches a module's
// files, and with MemberImportVisibility its fields then need that module imported. A build that
// passed could fail after a file was added elsewhere; this struct has one home.

#include <stdint.h>

/// What `stat` says of a file: the fields the package reads.
typedef struct {
    uint64_t device;
    uint64_t inode;
    int64_t size;
    int is_directory;
    int is_regular_file;
    int64_t modified_seconds;
    int64_t modified_nanoseconds;
} file_status;

/// The status of the file at `path` (a symbolic link followed unless `follow_links` is 0). 0 on
/// success, else -1 with errno set.
int file_status_of_path(const char *path, int follow_links, file_status *out);

/// The status of the open file `descriptor`. 0 on success, else -1 with errno set.
int file_status_of_descriptor(int descriptor, file_status *out);

#endif
