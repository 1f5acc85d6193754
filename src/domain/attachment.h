/*
 * attachment: files on ledger records — a meeting's minutes scans and photos, a patrol's
 * photos, a project's documents — generic over the collections that may own them.
 *
 * A row (collection "attachments") names its owner as every generic reference does
 * (owner_coll: the API name of the collection, owner_id), its file by SHA-256 (the bytes
 * are in store/files.h, beside the database), the name as given (cleaned for display),
 * the type detected from the content (domain/filetype.h), the size and the uploader.
 * Scope follows the owner: its procuratorate and branch are copied onto the row; who may
 * write the owner may attach and delete, who may read the owner may list and download.
 * A row is never changed: a wrong file is deleted and uploaded again.
 */
#ifndef RONGHE_ATTACHMENT_H
#define RONGHE_ATTACHMENT_H

#include "domain/resource.h"
#include "store/files.h"

extern const struct resource res_attachments;

#define ATTACHMENT_NAME_MAX 120 /* code points */

/* Take the limit files_configure() set (files_max_bytes) as the bound of the "size"
 * field that _meta serves. At startup, before any thread reads the descriptors. */
void attachment_configure(void);

/* Make an attachment of the upload "t" (taken over: placed or removed, whatever
 * happens) for the record "owner_coll"/"owner_id" (as the query gives them, unparsed),
 * named "name": the owner checked and the actor's right to write it, the type detected
 * (415 unsupported_type otherwise), the file made durable, then the row and its audit
 * entry committed in one transaction. *out is the new record. */
int attachment_upload(struct res_ctx *x, const char *owner_coll, const char *owner_id, const char *name,
                      files_tmp *t, json_t **out, struct rerr *err);

/* The same for "n" bytes at "bytes", inside a transaction the caller holds (the demo),
 * "sample" marking it 示例. Should the caller roll back, the file it placed is an orphan
 * for attachment_sweep(). */
int attachment_create_in(struct res_ctx *x, const char *owner_coll, int64_t owner_id, const char *name,
                         const void *bytes, size_t n, bool sample, json_t **out, struct rerr *err);

/* Delete attachment "id" at "version" (as res_delete), then its file when no other row
 * names the same content. */
int attachment_delete(struct res_ctx *x, int64_t id, int64_t version, struct rerr *err);

/* Whether record "id" of "r" may be deleted as far as attachments go: 409 in_use while
 * attachments name it (as a foreign key would refuse it), so that none is left without
 * its owner. Run by res_delete for every collection, inside its transaction. */
int attachment_owner_removable(struct res_ctx *x, const struct resource *r, int64_t id, struct rerr *err);

/* files_sweep() with the attachments table deciding what is still named: what a crash
 * left (see files.h), older than "grace_s". */
int attachment_sweep(store_conn *c, int grace_s, int *removed, struct rerr *err);

/* "name" as shown: the last part of a path (after '/' or '\'), without control and
 * bidirectional-override characters, trimmed; "附件" when nothing is left. Valid UTF-8
 * in, a copy in "a" out (never longer). */
const char *attachment_clean_name(arena *a, const char *name);

#endif
