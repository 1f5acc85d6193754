// labels: how stored codes read in the interface.

export const LANGUAGES = [
  { value: 'zh', label: '中文' },
  { value: 'mn', label: '蒙古语' },
  { value: 'zh+mn', label: '蒙汉双语' },
]

export const HONOUR_LEVELS = [
  { value: 'national', label: '国家级' },
  { value: 'regional', label: '自治区级' },
  { value: 'city', label: '市级' },
  { value: 'county', label: '县（旗）级' },
]

export const ROLES = [
  { value: 'admin', label: '管理员' },
  { value: 'secretary', label: '支部书记' },
  { value: 'viewer', label: '党组领导（只读）' },
]

export const BRANCH_KINDS = [
  { value: '党总支', label: '党总支' },
  { value: '党支部', label: '党支部' },
]

export const DEPARTMENT_KINDS = [
  { value: '综合', label: '综合部门' },
  { value: '业务', label: '业务部门' },
]

export const GENDERS = [
  { value: '男', label: '男' },
  { value: '女', label: '女' },
]

export const LEVELS = [
  { value: 1, label: '市院' },
  { value: 2, label: '基层院' },
]

export const AUDIT_ACTIONS = {
  create: '新增',
  update: '修改',
  delete: '删除',
  login: '登录',
  logout: '退出',
  login_failed: '登录失败',
  audit_key: '启用审计密钥',
  anchors_lost: '锚点文件丢失',
  session_end: '结束会话',
  session_end_others: '退出其他会话',
  password: '修改密码',
  unlock: '解除登录限制',
  download: '下载',
  export: '导出',
  receipt: '重新生成查询码',
}

export const ENTITIES = {
  audit: '审计链',
  procuratorates: '检察院',
  procuratorate: '检察院',
  branches: '支部',
  branch: '支部',
  departments: '部门',
  department: '部门',
  'party-groups': '党小组',
  party_groups: '党小组',
  party_group: '党小组',
  members: '党员',
  member: '党员',
  brands: '品牌',
  brand: '品牌',
  methods: '工作法',
  method: '工作法',
  'method-elements': '工作法要素',
  method_elements: '工作法要素',
  method_element: '工作法要素',
  honours: '荣誉',
  honour: '荣誉',
  users: '用户',
  user: '用户',
  session: '会话',
  jobs: '后台任务',
  job: '后台任务',
  'member-terms': '组织关系',
  activities: '组织生活',
  attendance: '考勤',
  'activity-items': '活动关联业务',
  'life-rules': '组织生活规则',
  attachments: '附件',
  holidays: '节假日',
  requests: '12309诉求',
  'request-replies': '12309答复',
  request_replies: '12309答复',
}

// 12309: a request's deadline state (GET /requests?due=), and its colour.
export const DUE_STATES = [
  { value: 'overdue', label: '已超期' },
  { value: 'soon', label: '3日内到期' },
  { value: 'ontime', label: '未到期' },
  { value: 'late', label: '曾超期答复' },
]

/** The state of deadline "due" (YYYY-MM-DD) today: 'overdue', 'soon' (within 3 days) or ''. */
export function dueState(due, today = todayCN()) {
  if (!due) return ''
  if (due < today) return 'overdue'
  const d = new Date(today + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() + 3)
  return due <= d.toISOString().slice(0, 10) ? 'soon' : ''
}

/** Today in Beijing time, as the server counts deadlines. */
export function todayCN() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

// An attachment's type (detected by the server from the content: domain/filetype.c).
export const CONTENT_TYPES = {
  'application/pdf': 'PDF 文档',
  'image/jpeg': 'JPEG 图片',
  'image/png': 'PNG 图片',
  'image/webp': 'WebP 图片',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word 文档',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel 表格',
  'application/msword': 'Word 文档（旧版）',
  'application/vnd.ms-excel': 'Excel 表格（旧版）',
  'text/plain': '纯文本',
}

// The business ledgers an activity may link (partylife.c item_colls).
export const ITEM_COLLS = [
  { value: 'cases', label: '案件' },
  { value: 'requests', label: '12309' },
  { value: 'pil-matters', label: '公益诉讼' },
  { value: 'patrols', label: '巡查' },
  { value: 'outreach', label: '普法宣传' },
  { value: 'projects', label: '联建项目' },
  { value: 'sync-pairs', label: '四同步' },
]

// Background jobs (GET /api/v1/jobs): kinds, and statuses with their tag colour.
export const JOB_KINDS = {
  backup: '数据库备份',
  export: '导出',
  import: '导入',
  eval: '考评计算',
}

export const JOB_STATUSES = {
  queued: { label: '排队中', tag: 'info' },
  running: { label: '进行中', tag: 'warning' },
  done: { label: '已完成', tag: 'success' },
  failed: { label: '失败', tag: 'danger' },
  cancelled: { label: '已取消', tag: 'info' },
}

// A method element's count, shown once: "两个抓手" already says 2 and "0差评" says 0, so
// the count is added (×N) only to a label that does not begin with a number.
const NUMERAL = /^[0-9零〇一二两三四五六七八九十百千万]/
export function elementCount(e) {
  return e && e.count != null && !NUMERAL.test(String(e.label || '')) ? '×' + e.count : ''
}

export function labelOf(options, value) {
  const o = options.find((x) => x.value === value)
  return o ? o.label : value == null || value === '' ? '' : String(value)
}

const pad = (n) => String(n).padStart(2, '0')

// Server times are UTC ISO-8601; shown in the browser's local time.
export function fmtTime(ts) {
  if (!ts) return ''
  const d = new Date(ts)
  if (isNaN(d.getTime()) || !/[zZ]|[+-]\d\d:?\d\d$/.test(String(ts))) return String(ts).replace('T', ' ')
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds())
}

// Cases (src/domain/cases.c): the current stage's generic names (?stage=), and the team's
// three kinds of member.
export const CASE_STAGES = ['受理', '审查决定', '起诉', '裁判', '办结'].map((v) => ({ value: v, label: v }))
export const TEAM_KINDS = [
  { value: 'member', label: '党员' },
  { value: 'person', label: '非党员工作人员' },
  { value: 'unit', label: '外单位（一案一专班）' },
]
// public-interest matters (pil.c): the stage a matter has reached, and ?due= on the list
export const PIL_STAGES = ['线索', '立案', '诉前检察建议', '整改', '起诉', '回访'].map((v) => ({ value: v, label: v }))
export const PIL_DUE = [
  { value: 'overdue', label: '逾期未回复' },
  { value: 'soon', label: '15日内到期' },
  { value: 'pending', label: '期限内待回复' },
  { value: 'replied', label: '已回复' },
]
Object.assign(ENTITIES, { 'pil-matters': '公益诉讼线索', pil_matters: '公益诉讼线索', patrols: '巡查记录', patrol: '巡查记录', outreach: '法律服务与普法宣传' })
AUDIT_ACTIONS.lead = '转为公益诉讼线索'
