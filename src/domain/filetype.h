/*
 * filetype: what a file is, from its content — never from its name or what the client
 * says. An allow-list: PDF, JPEG, PNG, WebP, DOCX and XLSX (a ZIP whose central directory
 * holds the parts of a Word or Excel document), DOC and XLS (an OLE2 compound file, told
 * apart by the name's extension: the container is the same), and plain UTF-8 text.
 * Anything else (an executable renamed .pdf, HTML, SVG, an archive) is refused.
 *
 * Why our own short list and not libmagic: libmagic knows thousands of types, where we
 * take nine and refuse the rest, so its breadth buys nothing; it needs its compiled
 * database as a separate file at run time (the binary is meant to be one file); and its
 * parsers of untrusted input have had their share of CVEs. Each signature here is the
 * format's own documented magic number, read with bounds from the first bytes (or, for
 * a ZIP, from its end), so the whole of it is a few dozen lines that tests cover.
 */
#ifndef RONGHE_FILETYPE_H
#define RONGHE_FILETYPE_H

#include <stdint.h>

/* The MIME type of the "size" bytes readable from "fd" (pread: the offset is left
 * alone), "name" deciding only between DOC and XLS; NULL when the content is none of
 * the allowed types (or cannot be read). A string literal. */
const char *filetype_detect(int fd, int64_t size, const char *name);

/* The allowed types, NULL-terminated (the CHECK IN of the attachments table). */
extern const char *const filetype_allowed[];

#endif
