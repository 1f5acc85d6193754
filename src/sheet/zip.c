/*
 * zip: an XLSX's parts read through libzip, each in chunks, with what they inflate to
 * counted as it comes against a budget — never the sizes the zip's headers claim, which a
 * zip bomb lies about. A damaged archive (truncated, bad CRC, bad deflate data) is bad_xlsx.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sheet/sheet_int.h"

/* More parts than any workbook has: the central directory itself is held by libzip. */
#define MAX_ENTRIES 100000

static int damaged(struct rerr *err, const char *what)
{
    return sheet_err(err, R_EINVAL, "bad_xlsx",
                     "XLSX 文件已损坏或不完整（%s）：请在 Excel 或 WPS 中重新保存后再导入", what);
}

int sheet_zip_open(int fd, zip_t **out, struct rerr *err)
{
    int zerr = 0;
    *out = zip_fdopen(fd, 0, &zerr);
    if (!*out) {
        close(fd);
        return damaged(err, zerr == ZIP_ER_NOZIP ? "找不到压缩包目录" : "压缩包结构错误");
    }
    if (zip_get_num_entries(*out, 0) > MAX_ENTRIES) {
        zip_discard(*out);
        *out = NULL;
        return sheet_err(err, R_ETOOBIG, "too_large", "压缩包中的文件超过 %d 个，不是正常的 XLSX 文件",
                         MAX_ENTRIES);
    }
    return 0;
}

bool sheet_zip_has(zip_t *z, const char *name)
{
    return zip_name_locate(z, name, ZIP_FL_NOCASE) >= 0;
}

int sheet_zip_entry_open(struct sheet_zip_entry *e, zip_t *z, const char *name, int64_t *budget,
                         struct rerr *err)
{
    *e = (struct sheet_zip_entry){.budget = budget};
    zip_int64_t i = zip_name_locate(z, name, ZIP_FL_NOCASE);
    if (i < 0)
        return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件缺少 %s", name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
        e->claimed = st.size > INT64_MAX ? INT64_MAX : (int64_t)st.size; /* for progress only */
    e->f = zip_fopen_index(z, (zip_uint64_t)i, 0);
    if (!e->f) {
        int ze = zip_error_code_zip(zip_get_error(z));
        if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
            return sheet_err(err, R_EINVAL, "bad_xlsx", "XLSX 文件有密码保护：请取消密码后再导入");
        if (ze == ZIP_ER_COMPNOTSUPP)
            return damaged(err, "不支持的压缩方式");
        return damaged(err, name);
    }
    e->name = name;
    return 0;
}

int64_t sheet_zip_entry_read(struct sheet_zip_entry *e, char *buf, size_t cap, struct rerr *err)
{
    if (!e->f)
        return 0;
    zip_int64_t n = zip_fread(e->f, buf, cap);
    if (n < 0)
        return damaged(err, e->name);
    e->bytes += n;
    *e->budget -= n;
    if (*e->budget < 0)
        return sheet_err(err, R_ETOOBIG, "too_large", "XLSX 文件解压后超过上限（%s 过大）：请拆分后再导入",
                         e->name);
    return n;
}

void sheet_zip_entry_close(struct sheet_zip_entry *e)
{
    if (e->f)
        zip_fclose(e->f);
    e->f = NULL;
}
