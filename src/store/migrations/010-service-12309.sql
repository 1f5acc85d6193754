-- 12309 public service: the working-day calendar, requests and their replies.
--
-- holidays: China's public holidays (休) and the weekend days worked instead (班, 调休),
-- one row per date, kept as data that the city's administrators edit each year. It is one
-- calendar for the whole system: procuratorate_id is NULL for it (the rows below, and those
-- added later), so it is read by everyone signed in and written by the city's
-- administrators only (src/domain/service.c). A request's deadlines are computed from it
-- and stored; a change to the calendar recomputes them in the same transaction.
CREATE TABLE holidays (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER REFERENCES procuratorates(id),   -- NULL: the national calendar
  date             TEXT NOT NULL UNIQUE,
  kind             TEXT NOT NULL CHECK (kind IN ('休', '班')),
  name             TEXT NOT NULL,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;

-- 12309 requests. procedural_due, result_due, next_followup_due, next_due (the earliest
-- deadline still open, for the overdue lists), their notes, replied_on, result_on and
-- status are derived by the server (src/domain/service.c) from received_on, the replies and
-- the holidays table; receipt_hash is the hashed receipt code of the public progress page.
CREATE TABLE requests (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id   INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id          INTEGER NOT NULL REFERENCES branches(id),
  department_id      INTEGER REFERENCES departments(id),
  number             TEXT NOT NULL,
  channel            TEXT NOT NULL CHECK (channel IN ('来信', '来访', '网络', '电话', '视频')),
  kind               TEXT NOT NULL CHECK (kind IN ('控告', '申诉', '举报', '咨询', '国家赔偿', '司法救助', '其他')),
  received_on        TEXT NOT NULL,
  requester_name     TEXT NOT NULL,
  summary            TEXT,
  status             TEXT NOT NULL DEFAULT '待答复' CHECK (status IN ('待答复', '办理中', '已办结')),
  procedural_due     TEXT NOT NULL,
  procedural_due_note TEXT NOT NULL,
  result_due         TEXT NOT NULL,
  result_due_note    TEXT NOT NULL,
  next_followup_due  TEXT,
  next_followup_note TEXT,
  next_due           TEXT,
  replied_on         TEXT,
  result_on          TEXT,
  closed_on          TEXT,
  satisfaction       TEXT CHECK (satisfaction IN ('满意', '基本满意', '不满意')),
  receipt_hash       TEXT NOT NULL,
  sample             INTEGER NOT NULL DEFAULT 0,
  version            INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (procuratorate_id, number)
) STRICT;
CREATE INDEX requests_branch_received ON requests(branch_id, received_on);
CREATE INDEX requests_proc_received ON requests(procuratorate_id, received_on);
CREATE INDEX requests_proc_due ON requests(procuratorate_id, next_due);
CREATE INDEX requests_number ON requests(number);

-- Replies and follow-ups of a request; each write recomputes the request's derived state.
CREATE TABLE request_replies (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  procuratorate_id INTEGER NOT NULL REFERENCES procuratorates(id),
  branch_id        INTEGER NOT NULL REFERENCES branches(id),
  request_id       INTEGER NOT NULL REFERENCES requests(id),
  kind             TEXT NOT NULL CHECK (kind IN ('程序性答复', '办理进展', '办理结果', '回访')),
  date             TEXT NOT NULL,
  content          TEXT,
  sample           INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX request_replies_request ON request_replies(request_id, date);
CREATE INDEX request_replies_branch ON request_replies(branch_id, date);

-- The official arrangements (放假调休), as the State Council's General Office published them:
--   2024: 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）
--   2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日；
--         from 2025 春节 starts on 除夕 and 劳动节 has one day more, per the 全国年节及纪念日放假办法
--         as amended in November 2024）
--   2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）
-- Every day of each 放假 range is a 休 row (the weekend days inside it too, so that the
-- range reads whole); each 上班 weekend day is a 班 row.
INSERT INTO holidays(date, kind, name, created_at, updated_at)
SELECT column1, column2, column3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM (VALUES
  ('2024-01-01', '休', '元旦'),
  ('2024-02-04', '班', '春节调休上班'),
  ('2024-02-10', '休', '春节'),
  ('2024-02-11', '休', '春节'),
  ('2024-02-12', '休', '春节'),
  ('2024-02-13', '休', '春节'),
  ('2024-02-14', '休', '春节'),
  ('2024-02-15', '休', '春节'),
  ('2024-02-16', '休', '春节'),
  ('2024-02-17', '休', '春节'),
  ('2024-02-18', '班', '春节调休上班'),
  ('2024-04-04', '休', '清明节'),
  ('2024-04-05', '休', '清明节'),
  ('2024-04-06', '休', '清明节'),
  ('2024-04-07', '班', '清明节调休上班'),
  ('2024-04-28', '班', '劳动节调休上班'),
  ('2024-05-01', '休', '劳动节'),
  ('2024-05-02', '休', '劳动节'),
  ('2024-05-03', '休', '劳动节'),
  ('2024-05-04', '休', '劳动节'),
  ('2024-05-05', '休', '劳动节'),
  ('2024-05-11', '班', '劳动节调休上班'),
  ('2024-06-10', '休', '端午节'),
  ('2024-09-14', '班', '中秋节调休上班'),
  ('2024-09-15', '休', '中秋节'),
  ('2024-09-16', '休', '中秋节'),
  ('2024-09-17', '休', '中秋节'),
  ('2024-09-29', '班', '国庆节调休上班'),
  ('2024-10-01', '休', '国庆节'),
  ('2024-10-02', '休', '国庆节'),
  ('2024-10-03', '休', '国庆节'),
  ('2024-10-04', '休', '国庆节'),
  ('2024-10-05', '休', '国庆节'),
  ('2024-10-06', '休', '国庆节'),
  ('2024-10-07', '休', '国庆节'),
  ('2024-10-12', '班', '国庆节调休上班'),
  ('2025-01-01', '休', '元旦'),
  ('2025-01-26', '班', '春节调休上班'),
  ('2025-01-28', '休', '春节'),
  ('2025-01-29', '休', '春节'),
  ('2025-01-30', '休', '春节'),
  ('2025-01-31', '休', '春节'),
  ('2025-02-01', '休', '春节'),
  ('2025-02-02', '休', '春节'),
  ('2025-02-03', '休', '春节'),
  ('2025-02-04', '休', '春节'),
  ('2025-02-08', '班', '春节调休上班'),
  ('2025-04-04', '休', '清明节'),
  ('2025-04-05', '休', '清明节'),
  ('2025-04-06', '休', '清明节'),
  ('2025-04-27', '班', '劳动节调休上班'),
  ('2025-05-01', '休', '劳动节'),
  ('2025-05-02', '休', '劳动节'),
  ('2025-05-03', '休', '劳动节'),
  ('2025-05-04', '休', '劳动节'),
  ('2025-05-05', '休', '劳动节'),
  ('2025-05-31', '休', '端午节'),
  ('2025-06-01', '休', '端午节'),
  ('2025-06-02', '休', '端午节'),
  ('2025-09-28', '班', '国庆节、中秋节调休上班'),
  ('2025-10-01', '休', '国庆节、中秋节'),
  ('2025-10-02', '休', '国庆节、中秋节'),
  ('2025-10-03', '休', '国庆节、中秋节'),
  ('2025-10-04', '休', '国庆节、中秋节'),
  ('2025-10-05', '休', '国庆节、中秋节'),
  ('2025-10-06', '休', '国庆节、中秋节'),
  ('2025-10-07', '休', '国庆节、中秋节'),
  ('2025-10-08', '休', '国庆节、中秋节'),
  ('2025-10-11', '班', '国庆节、中秋节调休上班'),
  ('2026-01-01', '休', '元旦'),
  ('2026-01-02', '休', '元旦'),
  ('2026-01-03', '休', '元旦'),
  ('2026-01-04', '班', '元旦调休上班'),
  ('2026-02-14', '班', '春节调休上班'),
  ('2026-02-15', '休', '春节'),
  ('2026-02-16', '休', '春节'),
  ('2026-02-17', '休', '春节'),
  ('2026-02-18', '休', '春节'),
  ('2026-02-19', '休', '春节'),
  ('2026-02-20', '休', '春节'),
  ('2026-02-21', '休', '春节'),
  ('2026-02-22', '休', '春节'),
  ('2026-02-23', '休', '春节'),
  ('2026-02-28', '班', '春节调休上班'),
  ('2026-04-04', '休', '清明节'),
  ('2026-04-05', '休', '清明节'),
  ('2026-04-06', '休', '清明节'),
  ('2026-05-01', '休', '劳动节'),
  ('2026-05-02', '休', '劳动节'),
  ('2026-05-03', '休', '劳动节'),
  ('2026-05-04', '休', '劳动节'),
  ('2026-05-05', '休', '劳动节'),
  ('2026-05-09', '班', '劳动节调休上班'),
  ('2026-06-19', '休', '端午节'),
  ('2026-06-20', '休', '端午节'),
  ('2026-06-21', '休', '端午节'),
  ('2026-09-20', '班', '国庆节调休上班'),
  ('2026-09-25', '休', '中秋节'),
  ('2026-09-26', '休', '中秋节'),
  ('2026-09-27', '休', '中秋节'),
  ('2026-10-01', '休', '国庆节'),
  ('2026-10-02', '休', '国庆节'),
  ('2026-10-03', '休', '国庆节'),
  ('2026-10-04', '休', '国庆节'),
  ('2026-10-05', '休', '国庆节'),
  ('2026-10-06', '休', '国庆节'),
  ('2026-10-07', '休', '国庆节'),
  ('2026-10-10', '班', '国庆节调休上班')
);
