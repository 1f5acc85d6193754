/* xlsx: the XLSX reader (in progress: refuses every workbook for now). */
#include <unistd.h>

#include "sheet/sheet_int.h"

int sheet_xlsx_open(sheet_reader *r, int fd, const char *sheet, struct rerr *err)
{
    (void)r;
    (void)sheet;
    close(fd);
    return sheet_err(err, R_EMEDIA, "not_spreadsheet", "暂不支持读取 .xlsx 文件");
}
