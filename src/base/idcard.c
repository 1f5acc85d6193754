/*
 * idcard.c: GB 11643-1999 identity numbers (see idcard.h).
 */
#include "base/idcard.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

char idcard_check_char(const char *digits17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (digits17[i] - '0') * weights[i];
    return check_chars[sum % 11];
}

enum idcard_status idcard_parse(const char *s, const char *today, struct idcard *out)
{
    size_t n = strnlen(s, 40);
    if (n == 15 && all_digits(s, 15))
        return IDCARD_OLD15;
    if (n != 18)
        return IDCARD_LENGTH;
    if (!all_digits(s, 17) || !((s[17] >= '0' && s[17] <= '9') || s[17] == 'X' || s[17] == 'x'))
        return IDCARD_CHARS;
    if (s[0] == '0')
        return IDCARD_REGION;
    memcpy(out->number, s, 18);
    out->number[18] = 0;
    if (out->number[17] == 'x')
        out->number[17] = 'X';
    snprintf(out->birth_date, sizeof out->birth_date, "%.4s-%.2s-%.2s", s + 6, s + 10, s + 12);
    if (!text_date_ok(out->birth_date))
        return IDCARD_DATE;
    if (strcmp(out->birth_date, today) > 0)
        return IDCARD_FUTURE;
    if (!memcmp(s + 14, "000", 3))
        return IDCARD_SEQUENCE;
    if (idcard_check_char(s) != out->number[17])
        return IDCARD_CHECKSUM;
    out->male = (s[16] - '0') % 2 == 1;
    return IDCARD_OK;
}

const char *idcard_problem(enum idcard_status st)
{
    switch (st) {
    case IDCARD_OK:
        return "";
    case IDCARD_OLD15:
        return "身份证号应为 18 位；15 位的第一代身份证号请按现用的 18 位身份证填写";
    case IDCARD_LENGTH:
        return "身份证号应为 18 位";
    case IDCARD_CHARS:
        return "身份证号应为 17 位数字加 1 位数字或 X";
    case IDCARD_REGION:
        return "身份证号的前 6 位（地区代码）无效";
    case IDCARD_DATE:
        return "身份证号中的出生日期（第 7 至 14 位）不是有效日期";
    case IDCARD_FUTURE:
        return "身份证号中的出生日期（第 7 至 14 位）晚于今天";
    case IDCARD_SEQUENCE:
        return "身份证号的顺序码（第 15 至 17 位）不能为 000";
    case IDCARD_CHECKSUM:
        return "身份证号校验位不正确，请核对";
    }
    return "身份证号无效";
}

bool idcard_make(const char *region6, const char *birth, int seq, char out[19])
{
    if (strlen(region6) != 6 || !all_digits(region6, 6) || !text_date_ok(birth) || seq < 1 || seq > 999)
        return false;
    snprintf(out, 19, "%.6s%.4s%.2s%.2s%03d", region6, birth, birth + 5, birth + 8, seq);
    out[17] = idcard_check_char(out);
    out[18] = 0;
    return true;
}

void idcard_mask(const char *number, char out[41])
{
    size_t n = strnlen(number, 40);
    for (size_t i = 0; i < n; i++)
        out[i] = n > 5 && (i < 4 || i == n - 1) ? number[i] : '*';
    out[n] = 0;
}
