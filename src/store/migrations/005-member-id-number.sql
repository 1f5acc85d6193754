-- Members: 身份证号 (GB 11643-1999, validated in src/base/idcard.c, unique), 学历 (the
-- categories of the party's annual statistics, 党内统计年报), 党员类别 and 转正日期.
-- 党龄 is not stored: it is computed when read (src/domain/member.c), from 转正日期.
ALTER TABLE members ADD COLUMN id_number TEXT;
ALTER TABLE members ADD COLUMN education TEXT
  CHECK (education IN ('研究生', '大学本科', '大学专科', '中专', '高中中技', '初中及以下'));
ALTER TABLE members ADD COLUMN party_status TEXT CHECK (party_status IN ('正式党员', '预备党员'));
ALTER TABLE members ADD COLUMN full_member_date TEXT;
-- One member per identity number; members without one are not compared.
CREATE UNIQUE INDEX members_id_number ON members(id_number) WHERE id_number IS NOT NULL;
-- The same-name-and-birth-date warning looks members up by both.
CREATE INDEX members_name_birth ON members(name, birth_date);
