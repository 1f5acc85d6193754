// collections: what each API collection looks like in the interface: its table columns,
// which fields its form shows and how, and its filters: presentation only.
// One generic CrudTable reads these; no page repeats the table/dialog code.
import {
  LANGUAGES, HONOUR_LEVELS, ROLES, BRANCH_KINDS, DEPARTMENT_KINDS, GENDERS, LEVELS, ITEM_COLLS, CASE_STAGES, TEAM_KINDS, PIL_STAGES, PIL_DUE, DUE_STATES, labelOf,
} from './labels.js'
import { byId, procOrder } from './lookups.js'
import { jointCollections, METHOD_PERIODS } from './collections-joint.js'
import { markRaw } from 'vue'
import { session } from './api.js'
import MemberPickerInput from './components/MemberPicker.vue'
import SubjectSelectInput from './components/SubjectSelect.vue'
import OfficialsListInput from './components/OfficialsInput.vue'
import ManualIndicatorInput from './components/ManualIndicatorSelect.vue'

// inputs of their own for a field ("component"), never made reactive
const MemberPicker = markRaw(MemberPickerInput)
const SubjectSelect = markRaw(SubjectSelectInput)
const OfficialsInput = markRaw(OfficialsListInput)
const ManualIndicatorSelect = markRaw(ManualIndicatorInput)

// What a field must satisfy (limits, required, enumerations, date rules) is the server's
// word, from GET /api/v1/_meta (see rules.js): nothing here repeats it. A form field names
// its column ("prop"), how it is shown ("type", "half", "hint", "placeholder") and, where
// the form has its own logic, which fields it resets or shows; a field that is not a
// column is "virtual" and carries its own label.

const procLabel = (id) => {
  const p = byId('procuratorates', id)
  return p ? p.name : ''
}

// Reference specs for RefSelect (see components/RefSelect.vue).
export const REF = {
  procuratorates: {
    collection: 'procuratorates',
    order: (r) => procOrder(r.id),
  },
  cityProcuratorates: {
    collection: 'procuratorates',
    filter: (r) => r.level === 1,
  },
  branches: {
    collection: 'branches',
    group: (r) => r.procuratorate_name || procLabel(r.procuratorate_id),
    order: (r) => procOrder(r.procuratorate_id) + (r.sort || 0),
    filter: (r, form) => !form.procuratorate_id || r.procuratorate_id === form.procuratorate_id,
  },
  departments: {
    collection: 'departments',
    group: (r) => procLabel(r.procuratorate_id),
    order: (r) => procOrder(r.procuratorate_id) + (r.sort || 0),
    // departments of the chosen procuratorate, or of the chosen branch's procuratorate
    filter: (r, form) => {
      if (form.procuratorate_id) return r.procuratorate_id === form.procuratorate_id
      const b = byId('branches', form.branch_id)
      return !b || r.procuratorate_id === b.procuratorate_id
    },
  },
  partyGroups: {
    collection: 'party-groups',
    group: (r) => r.branch_name || (byId('branches', r.branch_id) || {}).name || '',
    order: (r) => procOrder(r.procuratorate_id) + (r.branch_id || 0) * 10 + (r.sort || 0) / 1000,
    filter: (r, form) => {
      if (form.branch_id) return r.branch_id === form.branch_id
      if (form.procuratorate_id) return r.procuratorate_id === form.procuratorate_id
      return true
    },
  },
  brands: {
    collection: 'brands',
    group: (r) => r.procuratorate_name || procLabel(r.procuratorate_id),
    order: (r) => procOrder(r.procuratorate_id) + (r.sort || 0),
    filter: (r, form) => {
      if (form.branch_id && r.branch_id !== form.branch_id) return false
      if (form.procuratorate_id && r.procuratorate_id !== form.procuratorate_id) return false
      return true
    },
  },
  parentBrands: {
    collection: 'brands',
    group: (r) => r.branch_name || '',
    // a sub-brand's parent is a top-level brand of the same branch, never itself
    filter: (r, form) => !r.parent_id && r.id !== form.id && (!form.branch_id || r.branch_id === form.branch_id),
  },
  methods: {
    collection: 'methods',
    label: (r) => r.name,
    group: (r) => (byId('brands', r.brand_id) || {}).name || '',
  },
  cases: {
    collection: 'cases',
    remote: true,
    label: (r) => r.case_no + ' ' + r.title,
  },
  members: {
    collection: 'members',
    remote: true,
    label: (r) => r.name + (r.branch_name ? '（' + r.branch_name + '）' : ''),
    params: (form) => (form.branch_id ? { branch_id: form.branch_id } : {}),
  },
}

// an activity's attendance figures (partylife.c expand): 出席 / 应到 and the rate
export const attendanceText = (a) => {
  if (!a || !a.expected) return '—'
  if (!a.present && !a.absent) return '未登记'
  return a.present + '/' + a.expected + '（' + Math.round(a.rate * 100) + '%）'
}

const nameCol = (label = '名称', extra = {}) => ({ prop: 'name', label, type: 'name', minWidth: 180, sortable: true, ...extra })
const nameField = { prop: 'name' }
const nameMnField = { prop: 'name_mn', type: 'mn', placeholder: '传统蒙古文（可选）' }
const sortField = { prop: 'sort', type: 'number' }
const procFilter = { prop: 'procuratorate_id', label: '检察院', type: 'ref', ref: REF.procuratorates, resets: ['branch_id', 'department_id', 'party_group_id'], width: '210px' }
const branchFilter = { prop: 'branch_id', label: '支部', type: 'ref', ref: REF.branches, resets: ['department_id', 'party_group_id'], width: '220px' }

// eval-manual-values: the status's colour, who entered or decided (a user's id: the
// signed-in user is 本人), and who may decide
const MANUAL_STATUS_TYPES = { 待审核: 'warning', 已通过: 'success', 已退回: 'danger' }
const userText = (id) => (id == null ? '' : session.me && session.me.id === id ? '本人' : '#' + id)
const manualDecidable = (r, me) => r.status === '待审核' && !!me && me.role === 'admin' && r.entered_by !== me.id
// whom a value is for: the kinds an indicator applies to (适用), as the API names them
const SUBJECT_KINDS = [
  { value: 'branch', label: '党支部' },
  { value: 'procuratorate', label: '检察院' },
  { value: 'member', label: '党员' },
  { value: 'party_group', label: '党小组' },
]
const subjectKindLabel = (v) => (SUBJECT_KINDS.find((k) => k.value === v) || SUBJECT_KINDS[0]).label
const isBranchValue = (f) => !f.subject_kind || f.subject_kind === 'branch'

// ---- the collections --------------------------------------------------------------------

export const COLLECTIONS = {
  procuratorates: {
    title: '检察院',
    noun: '检察院',
    search: '名称',
    columns: [
      nameCol('名称', { minWidth: 220 }),
      { prop: 'short_name', label: '简称', minWidth: 120 },
      { prop: 'level', label: '级别', type: 'options', options: LEVELS, width: 90 },
      { prop: 'parent_id', label: '上级院', type: 'ref', collection: 'procuratorates', minWidth: 160 },
      { prop: 'sort', label: '排序', width: 80 },
    ],
    fields: [
      nameField,
      nameMnField,
      { prop: 'short_name' },
      { prop: 'level', type: 'select', options: LEVELS, resets: ['parent_id'] },
      { prop: 'parent_id', type: 'ref', ref: REF.cityProcuratorates, show: (f) => f.level === 2 },
      sortField,
    ],
    filters: [{ prop: 'level', label: '级别', type: 'select', options: LEVELS, width: '120px' }],
  },

  branches: {
    title: '党支部',
    noun: '支部',
    search: '支部名称',
    link: (r) => '/branches/' + r.id,
    columns: [
      nameCol('支部名称', { minWidth: 250 }),
      { prop: 'procuratorate_name', label: '检察院', type: 'ref', collection: 'procuratorates', idProp: 'procuratorate_id', minWidth: 180 },
      { prop: 'kind', label: '类别', width: 90 },
      { prop: 'secretary_name', label: '支部书记', width: 110 },
      { prop: 'member_count', label: '党员数', width: 90, align: 'right' },
      { prop: 'founded', label: '成立日期', width: 120 },
    ],
    fields: [
      { prop: 'procuratorate_id', type: 'ref', ref: REF.procuratorates },
      nameField,
      nameMnField,
      { prop: 'kind', type: 'select', options: BRANCH_KINDS, default: '党支部' },
      { prop: 'secretary_name' },
      { prop: 'founded', type: 'date' },
      { prop: 'description', type: 'textarea' },
      sortField,
    ],
    filters: [procFilter, { prop: 'kind', label: '类别', type: 'select', options: BRANCH_KINDS, width: '120px' }],
  },

  departments: {
    title: '部门',
    noun: '部门',
    search: '部门名称',
    columns: [
      nameCol('部门名称'),
      { prop: 'procuratorate_id', label: '检察院', type: 'ref', collection: 'procuratorates', minWidth: 170 },
      { prop: 'branch_name', label: '所属支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 150 },
      { prop: 'kind', label: '类别', type: 'options', options: DEPARTMENT_KINDS, width: 100 },
      { prop: 'duties', label: '职责', minWidth: 220, showOverflow: true },
    ],
    fields: [
      { prop: 'procuratorate_id', type: 'ref', ref: REF.procuratorates, resets: ['branch_id'] },
      { prop: 'branch_id', type: 'ref', ref: REF.branches },
      nameField,
      nameMnField,
      { prop: 'kind', type: 'select', options: DEPARTMENT_KINDS, default: '业务' },
      { prop: 'duties', type: 'textarea' },
      sortField,
    ],
    filters: [procFilter, branchFilter, { prop: 'kind', label: '类别', type: 'select', options: DEPARTMENT_KINDS, width: '120px' }],
  },

  'party-groups': {
    title: '党小组',
    noun: '党小组',
    search: '党小组名称',
    columns: [
      nameCol('党小组名称'),
      { prop: 'branch_name', label: '所属支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 160 },
      { prop: 'department_name', label: '所在部门', type: 'ref', collection: 'departments', idProp: 'department_id', minWidth: 150 },
      { prop: 'procuratorate_id', label: '检察院', type: 'ref', collection: 'procuratorates', minWidth: 170 },
      { prop: 'leader_name', label: '组长', width: 110 },
    ],
    fields: [
      { prop: 'branch_id', type: 'ref', ref: REF.branches, resets: ['department_id'] },
      { prop: 'department_id', type: 'ref', ref: REF.departments, hint: '党小组建在业务部门' },
      nameField,
      nameMnField,
      { prop: 'leader_name' },
      sortField,
    ],
    filters: [procFilter, branchFilter],
  },

  members: {
    title: '党员',
    noun: '党员',
    search: '姓名、蒙古文名或拼音',
    link: (r) => '/members/' + r.id,
    testId: 'members-table',
    searchTestId: 'member-search',
    perPage: 20,
    columns: [
      nameCol('姓名', { minWidth: 170 }),
      { prop: 'gender', label: '性别', width: 60, align: 'center' },
      { prop: 'age', label: '年龄', width: 60, align: 'center' },
      { prop: 'ethnicity', label: '民族', width: 76 },
      { prop: 'position', label: '职务', minWidth: 110 },
      { prop: 'quota_prosecutor', label: '员额', type: 'quota', width: 70, align: 'center' },
      { prop: 'languages', label: '工作语言', type: 'options', options: LANGUAGES, width: 90 },
      { prop: 'education', label: '学历', width: 90 },
      { prop: 'party_status', label: '党员类别', width: 90 },
      { prop: 'party_age', label: '党龄', width: 60, align: 'center' },
      // as the server sends it: whole to those who may see it, masked to others
      { prop: 'id_number', label: '身份证号', width: 180 },
      { prop: 'branch_name', label: '支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 230, branchLink: true },
      { prop: 'department_name', label: '部门', minWidth: 120 },
    ],
    fields: [
      { prop: 'procuratorate_id', label: '检察院', type: 'ref', ref: REF.procuratorates, virtual: true, resets: ['branch_id', 'department_id', 'party_group_id'], hint: '用于筛选支部，不单独保存' },
      { prop: 'branch_id', type: 'ref', ref: REF.branches, resets: ['department_id', 'party_group_id'] },
      { prop: 'department_id', type: 'ref', ref: REF.departments },
      { prop: 'party_group_id', type: 'ref', ref: REF.partyGroups },
      { prop: 'name', half: true },
      { prop: 'name_mn', type: 'mn', half: true },
      { prop: 'id_number', placeholder: '18 位，末位可为 X', hint: '出生日期、性别可留空，保存时按身份证号填入' },
      { prop: 'gender', type: 'radio', options: GENDERS, half: true },
      { prop: 'ethnicity', type: 'suggest', suggestions: ['汉族', '蒙古族', '满族', '回族', '朝鲜族', '达斡尔族'], half: true },
      { prop: 'birth_date', type: 'date', startView: 'year', half: true },
      { prop: 'joined_party', type: 'date', half: true },
      { prop: 'party_status', type: 'select', half: true, resets: ['full_member_date'] },
      // a probationary member has no 转正日期 (a full member's is required: _meta's required_if)
      { prop: 'full_member_date', type: 'date', half: true, show: (f) => f.party_status !== '预备党员' },
      { prop: 'education', type: 'select', half: true },
      { prop: 'position', half: true },
      { prop: 'languages', type: 'select', options: LANGUAGES, default: 'zh', half: true },
      { prop: 'quota_prosecutor', type: 'bool', default: false, half: true },
    ],
    filters: [
      procFilter,
      branchFilter,
      { prop: 'department_id', label: '部门', type: 'ref', ref: REF.departments, width: '160px' },
      { prop: 'party_group_id', label: '党小组', type: 'ref', ref: REF.partyGroups, width: '170px' },
      { prop: 'quota_prosecutor', label: '员额检察官', type: 'select', options: [{ value: 'true', label: '员额检察官' }, { value: 'false', label: '非员额' }], width: '130px' },
      { prop: 'languages', label: '工作语言', type: 'select', options: LANGUAGES, width: '120px' },
      { prop: 'party_status', label: '党员类别', type: 'select', width: '120px' },
      { prop: 'education', label: '学历', type: 'select', width: '120px' },
      // the exact number only, and only for those who see numbers whole (GET /me)
      { prop: 'id_number', label: '身份证号', placeholder: '完整 18 位', type: 'text', width: '190px', show: (me) => !!me.sees_id_numbers },
      { prop: 'youth', label: '青年干警（35岁以下）', type: 'check' },
    ],
  },

  brands: {
    title: '党建品牌',
    noun: '品牌',
    search: '品牌名称',
    columns: [
      nameCol('品牌名称', { minWidth: 170 }),
      { prop: 'parent_id', label: '上级品牌', type: 'ref', collection: 'brands', minWidth: 120, empty: '总品牌' },
      { prop: 'slogan', label: '口号', minWidth: 180, showOverflow: true },
      { prop: 'branch_name', label: '所属支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 150, branchLink: true },
      { prop: 'procuratorate_name', label: '检察院', type: 'ref', collection: 'procuratorates', idProp: 'procuratorate_id', minWidth: 170 },
    ],
    fields: [
      { prop: 'branch_id', type: 'ref', ref: REF.branches, resets: ['parent_id', 'party_group_id'] },
      { prop: 'parent_id', type: 'ref', ref: REF.parentBrands, hint: '留空为总品牌；党小组品牌选择本支部的总品牌' },
      { prop: 'party_group_id', type: 'ref', ref: REF.partyGroups, show: (f) => !!f.parent_id },
      nameField,
      nameMnField,
      { prop: 'slogan' },
      { prop: 'meaning', type: 'textarea' },
      { prop: 'spirit', type: 'textarea' },
      sortField,
    ],
    filters: [procFilter, branchFilter],
  },

  methods: {
    title: '工作法',
    noun: '工作法',
    search: '工作法名称',
    expandElements: true,
    columns: [
      nameCol('工作法', { minWidth: 180 }),
      { prop: 'brand_id', label: '品牌', type: 'ref', collection: 'brands', minWidth: 130 },
      { prop: 'elements', label: '要素', type: 'elements', minWidth: 320 },
      { prop: 'summary', label: '概述', minWidth: 200, showOverflow: true },
    ],
    fields: [
      { prop: 'procuratorate_id', label: '检察院', type: 'ref', ref: REF.procuratorates, virtual: true, resets: ['branch_id', 'brand_id'] },
      { prop: 'branch_id', label: '支部', type: 'ref', ref: REF.branches, virtual: true, resets: ['brand_id'] },
      { prop: 'brand_id', type: 'ref', ref: REF.brands },
      nameField,
      { prop: 'summary', type: 'textarea' },
      { prop: 'period', type: 'radio', options: METHOD_PERIODS, default: 'month' },
      sortField,
    ],
    filters: [procFilter, branchFilter, { prop: 'brand_id', label: '品牌', type: 'ref', ref: REF.brands, width: '170px' }],
  },

  'method-elements': {
    title: '工作法要素',
    noun: '要素',
    search: false,
    perPage: 100,
    columns: [
      { prop: 'label', label: '要素', minWidth: 140, type: 'element' },
      { prop: 'count', label: '数量', width: 80, align: 'center' },
      { prop: 'description', label: '说明', minWidth: 220 },
      { prop: 'sort', label: '排序', width: 70 },
    ],
    fields: [
      { prop: 'method_id', type: 'ref', ref: REF.methods },
      { prop: 'label', placeholder: '如：一个中心' },
      { prop: 'count', type: 'number', hint: '不可计数的要素留空' },
      { prop: 'description', type: 'textarea' },
      sortField,
    ],
    filters: [],
  },

  honours: {
    title: '荣誉',
    noun: '荣誉',
    // 详情: the honour with its certificate scans (views/RecordAttachments.vue)
    link: (r) => ({ name: 'attachments', params: { coll: 'honours', id: r.id } }),
    search: '荣誉称号',
    columns: [
      { prop: 'title', label: '荣誉称号', type: 'title', minWidth: 220 },
      { prop: 'holder_name', label: '获得者', minWidth: 150 },
      { prop: 'level', label: '级别', type: 'options', options: HONOUR_LEVELS, width: 100 },
      { prop: 'year', label: '年度', width: 80, align: 'center' },
      { prop: 'awarded_by', label: '授予单位', minWidth: 160 },
      { prop: 'branch_id', label: '支部', type: 'ref', collection: 'branches', minWidth: 150, branchLink: true },
    ],
    fields: [
      { prop: 'holder', label: '授予对象', type: 'radio', options: [{ value: 'branch', label: '支部' }, { value: 'member', label: '党员' }], virtual: true, default: 'branch', resets: ['member_id'] },
      // the holder the radio chose is the one asked for (the server takes either; brand.c);
      // the other is not shown, so not checked
      { prop: 'branch_id', type: 'ref', ref: REF.branches, required: true, show: (f) => f.holder !== 'member' },
      { prop: 'member_id', type: 'ref', ref: REF.members, required: true, show: (f) => f.holder === 'member', initialLabel: 'holder_name', hint: '输入姓名或拼音搜索' },
      { prop: 'title' },
      { prop: 'level', type: 'select', options: HONOUR_LEVELS },
      { prop: 'year', type: 'number', default: new Date().getFullYear() },
      { prop: 'awarded_by' },
    ],
    // a record's holder decides which of the two ids the form shows
    fromRecord: (r) => ({ holder: r.member_id ? 'member' : 'branch' }),
    toBody: (body, form) => {
      if (form.holder === 'member') delete body.branch_id
      else if ('member_id' in body) body.member_id = null
      return body
    },
    filters: [
      procFilter,
      branchFilter,
      { prop: 'level', label: '级别', type: 'select', options: HONOUR_LEVELS, width: '120px' },
      { prop: 'year', label: '年度', type: 'number', width: '120px' },
    ],
  },

  // ---- organisation life (partylife) ------------------------------------------------------
  activities: {
    title: '组织生活',
    noun: '组织生活',
    search: '主题、主讲人或会议记录',
    link: (r) => '/activities/' + r.id,
    testId: 'activities-table',
    columns: [
      { prop: 'held_on', label: '日期', width: 110, sortable: true },
      { prop: 'kind', label: '类型', width: 110 },
      { prop: 'topic', label: '主题', type: 'link', minWidth: 240 },
      { prop: 'branch_name', label: '支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 180, branchLink: true },
      { prop: 'party_group_name', label: '党小组', minWidth: 110 },
      { prop: 'speaker', label: '主讲人', width: 100 },
      { prop: 'attendance', label: '出席', width: 120, align: 'center', format: (r) => attendanceText(r.attendance) },
    ],
    fields: [
      { prop: 'branch_id', type: 'ref', ref: REF.branches, resets: ['party_group_id'] },
      { prop: 'kind', type: 'select', half: true, resets: ['study_dimension'] },
      { prop: 'held_on', type: 'date', half: true },
      // only study has a dimension; a 党小组会 names its party group (_meta's required_if)
      { prop: 'study_dimension', type: 'select', show: (f) => f.kind === '学习' },
      { prop: 'party_group_id', type: 'ref', ref: REF.partyGroups, hint: '党小组会必选；其他活动由党小组组织时选择' },
      { prop: 'topic' },
      { prop: 'speaker', half: true },
      { prop: 'place', half: true },
      { prop: 'minutes', type: 'textarea' },
    ],
    filters: [
      procFilter,
      branchFilter,
      { prop: 'month', label: '月份', type: 'month', virtual: true },
      { prop: 'kind', label: '类型', type: 'select', width: '130px' },
    ],
  },

  attendance: {
    title: '考勤',
    noun: '考勤',
    search: false,
    columns: [
      { prop: 'member_name', label: '党员', minWidth: 120 },
      { prop: 'activity_held_on', label: '日期', width: 110 },
      { prop: 'activity_topic', label: '活动', minWidth: 200 },
      { prop: 'status', label: '出席情况', width: 90 },
      { prop: 'reason', label: '缺席原因', width: 90 },
      { prop: 'note', label: '备注', minWidth: 140 },
    ],
    fields: [
      { prop: 'activity_id', type: 'number' },
      { prop: 'member_id', type: 'ref', ref: REF.members, initialLabel: 'member_name' },
      { prop: 'status', type: 'radio', resets: ['reason'] },
      { prop: 'reason', type: 'select', show: (f) => f.status === '缺席' },
      { prop: 'note' },
    ],
    filters: [],
  },

  'activity-items': {
    title: '关联业务',
    noun: '关联业务',
    search: false,
    columns: [
      { prop: 'item_coll', label: '业务类别', type: 'options', options: ITEM_COLLS, width: 120 },
      { prop: 'item', label: '业务记录', minWidth: 220, format: (r) => (r.item ? r.item.title + (r.item.date ? '（' + r.item.date + '）' : '') : '（已删除）#' + r.item_id) },
      { prop: 'note', label: '说明', minWidth: 160 },
    ],
    fields: [
      { prop: 'activity_id', type: 'number' },
      { prop: 'item_coll', type: 'select', options: ITEM_COLLS },
      { prop: 'item_id', type: 'number', hint: '业务记录的编号（可在该业务台账中查到）' },
      { prop: 'note' },
    ],
    filters: [],
  },

  'member-terms': {
    title: '组织关系记录',
    noun: '组织关系',
    search: false,
    columns: [
      { prop: 'member_name', label: '党员', minWidth: 120 },
      { prop: 'branch_name', label: '支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 200, branchLink: true },
      { prop: 'party_group_name', label: '党小组', minWidth: 120 },
      { prop: 'from_date', label: '起', width: 110 },
      { prop: 'to_date', label: '止（调出日）', width: 120, format: (r) => r.to_date || '至今' },
    ],
    fields: [],
    filters: [branchFilter],
  },

  'life-rules': {
    title: '组织生活规则',
    noun: '规则',
    search: false,
    columns: [
      { prop: 'kind', label: '活动类型', width: 120 },
      { prop: 'period', label: '周期', width: 80 },
      { prop: 'required_count', label: '每周期次数', width: 110, align: 'center' },
      { prop: 'per_party_group', label: '按党小组', type: 'bool', width: 90 },
      { prop: 'scope', label: '适用范围', minWidth: 200, format: (r) => r.branch_name || r.procuratorate_name || (r.level ? labelOf(LEVELS, r.level) + '党组织' : '全部党组织') },
      { prop: 'note', label: '说明', minWidth: 220, showOverflow: true },
    ],
    fields: [
      { prop: 'procuratorate_id', type: 'ref', ref: REF.procuratorates, resets: ['branch_id'], hint: '留空：适用于两级院全部党组织' },
      { prop: 'branch_id', type: 'ref', ref: REF.branches, hint: '只适用于一个党组织时选择' },
      { prop: 'level', type: 'select', options: LEVELS, show: (f) => !f.branch_id },
      { prop: 'kind', type: 'select', half: true },
      { prop: 'period', type: 'select', half: true },
      { prop: 'required_count', type: 'number', half: true },
      { prop: 'per_party_group', type: 'bool', default: false, half: true },
      { prop: 'note', type: 'textarea' },
    ],
    filters: [{ prop: 'kind', label: '活动类型', type: 'select', width: '130px' }],
  },

  users: {
    title: '用户',
    noun: '用户',
    search: '用户名或姓名',
    // a user who has signed in is kept (the audit names them): disabled, not deleted
    rowAction: (row, me) => (row.id === me.id ? null : row.has_signed_in ? (row.disabled ? 'enable' : 'disable') : 'delete'),
    columns: [
      { prop: 'username', label: '用户名', minWidth: 130 },
      { prop: 'display_name', label: '姓名', minWidth: 120 },
      { prop: 'role', label: '角色', type: 'options', options: ROLES, width: 140 },
      { prop: 'procuratorate_id', label: '检察院', type: 'ref', collection: 'procuratorates', minWidth: 170 },
      { prop: 'branch_id', label: '支部', type: 'ref', collection: 'branches', minWidth: 150 },
      { prop: 'disabled', label: '状态', type: 'disabled', width: 80 },
    ],
    fields: [
      { prop: 'username', hint: '字母、数字、点、下划线和连字符' },
      { prop: 'display_name' },
      // a new account needs one (_meta: "required": "create"; the server's rule says what a
      // password must be)
      { prop: 'password', type: 'password', hint: '编辑时留空表示不修改' },
      { prop: 'role', type: 'select', options: ROLES },
      { prop: 'procuratorate_id', type: 'ref', ref: REF.procuratorates, resets: ['branch_id'] },
      { prop: 'branch_id', type: 'ref', ref: REF.branches },
      { prop: 'disabled', type: 'bool', default: false },
    ],
    filters: [
      procFilter,
      { prop: 'role', label: '角色', type: 'select', options: ROLES, width: '120px' },
      { prop: 'disabled', label: '状态', type: 'select', options: [{ value: 'false', label: '正常' }, { value: 'true', label: '已停用' }], width: '110px' },
    ],
  },
  ...jointCollections({ REF, procFilter, branchFilter }),

  // ---- cases (src/domain/cases.c): the case, its team (一案一专班) and its 三必评 ----
  cases: {
    title: '案件',
    noun: '案件',
    search: '案号、案件名称或翻译人员',
    testId: 'cases-table',
    link: (r) => '/cases/' + r.id,
    columns: [
      { prop: 'case_no', label: '案号', minWidth: 150, sortable: true },
      { prop: 'title', label: '案件名称', type: 'title', minWidth: 200 },
      { prop: 'type', label: '类型', width: 120 },
      { prop: 'stage', label: '当前阶段', width: 96 },
      { prop: 'received_on', label: '受理日期', width: 112, sortable: true },
      { prop: 'lead_name', label: '主办检察官', width: 110 },
      { prop: 'led_by_party_member', label: '党员主办', type: 'tag', width: 96, tag: (r) => (r.led_by_party_member === true ? { text: '党员主办', type: 'danger' } : r.led_by_party_member === false ? { text: '非党员', type: 'info' } : null) },
      { prop: 'party_member_count', label: '党员', width: 70, align: 'center' },
      { prop: 'quota_prosecutor_count', label: '员额', width: 70, align: 'center' },
      { prop: 'grade', label: '质量等级', type: 'tag', width: 100, tag: (r) => (r.grade ? { text: r.grade, type: r.grade === '优质' ? 'success' : r.grade === '不合格' ? 'danger' : r.grade === '基本合格' ? 'warning' : 'primary' } : null) },
      { prop: 'typical', label: '典型案例', type: 'tag', width: 110, tag: (r) => (r.typical ? { text: (r.typical_level || '') + '典型', type: 'warning' } : null) },
      { prop: 'language', label: '办案语言', width: 90 },
      { prop: 'procuratorate_id', label: '检察院', type: 'ref', collection: 'procuratorates', minWidth: 170 },
    ],
    fields: [
      { prop: 'procuratorate_id', type: 'ref', ref: REF.procuratorates, resets: ['department_id'] },
      { prop: 'department_id', type: 'ref', ref: REF.departments },
      { prop: 'case_no', half: true, placeholder: '如：通检刑诉〔2025〕12号' },
      { prop: 'type', type: 'select', half: true, revalidates: ['filed_on', 'judged_on'] },
      { prop: 'title', placeholder: '如：张某某盗窃案' },
      { prop: 'brief', type: 'textarea' },
      // the stages in order; a type without 起诉 or 裁判 (审查逮捕, 刑事执行检察监督) has neither
      { prop: 'received_on', type: 'date', half: true },
      { prop: 'decided_on', type: 'date', half: true },
      { prop: 'filed_on', type: 'date', half: true, show: (f) => !NO_TRIAL.has(f.type) },
      { prop: 'judged_on', type: 'date', half: true, show: (f) => !NO_TRIAL.has(f.type) },
      { prop: 'closed_on', type: 'date', half: true },
      { prop: 'language', type: 'radio', default: '汉语' },
      { prop: 'party_language', type: 'select', half: true, hint: '当事人不通晓办案语言时须配备翻译' },
      { prop: 'interpreter', half: true, placeholder: '姓名（单位）' },
      { prop: 'grade', type: 'select', half: true, hint: '办结后评定', show: (f) => !!f.closed_on },
      { prop: 'typical', type: 'bool', default: false, half: true },
      { prop: 'typical_level', type: 'select', half: true, show: (f) => !!f.typical },
      { prop: 'typical_writeup', type: 'textarea', show: (f) => !!f.typical },
    ],
    filters: [
      procFilter,
      { prop: 'type', label: '类型', type: 'select', width: '150px' },
      { prop: 'stage', label: '阶段', type: 'select', options: CASE_STAGES, width: '110px' },
      { prop: 'grade', label: '质量等级', type: 'select', width: '110px' },
      { prop: 'led_by_party_member', label: '办案组', type: 'select', options: [{ value: 'true', label: '党员主办' }, { value: 'false', label: '非党员主办' }], width: '130px' },
      { prop: 'language', label: '办案语言', type: 'select', width: '110px' },
      { prop: 'typical', label: '典型案例', type: 'check' },
    ],
  },

  'case-members': {
    title: '办案组成员',
    noun: '成员',
    search: false,
    perPage: 50,
    columns: [
      { prop: 'display_name', label: '姓名 / 单位', minWidth: 150 },
      { prop: 'role', label: '角色', width: 110 },
      { prop: 'is_party_member', label: '党员', type: 'tag', width: 80, tag: (r) => (r.is_party_member ? { text: '党员', type: 'danger' } : r.unit_name ? { text: '外单位', type: 'warning' } : null) },
      { prop: 'is_quota_prosecutor', label: '员额检察官', type: 'tag', width: 100, tag: (r) => (r.is_quota_prosecutor ? { text: '员额', type: 'primary' } : null) },
      { prop: 'member_branch_name', label: '所在支部', minWidth: 150 },
      { prop: 'member_department_name', label: '部门', minWidth: 110 },
      { prop: 'note', label: '分工', minWidth: 140, showOverflow: true },
    ],
    fields: [
      { prop: 'case_id', type: 'ref', ref: REF.cases, initialLabel: 'case_title' },
      { prop: 'kind', label: '成员类型', type: 'radio', options: TEAM_KINDS, virtual: true, default: 'member', resets: ['member_id', 'person_name', 'person_quota', 'unit_name'] },
      // the kind the radio chose is the one asked for (the server takes exactly one; cases.c)
      { prop: 'member_id', type: 'ref', ref: REF.members, required: true, show: (f) => f.kind === 'member', initialLabel: 'display_name', hint: '输入姓名或拼音搜索；可选其他部门、其他检察院的党员（须有该院的修改权限）' },
      { prop: 'person_name', label: '姓名', required: true, half: true, show: (f) => f.kind === 'person' },
      { prop: 'person_quota', label: '员额检察官', type: 'bool', default: false, half: true, show: (f) => f.kind === 'person' },
      { prop: 'unit_name', label: '单位名称', required: true, show: (f) => f.kind === 'unit', placeholder: '如：扎鲁特旗林业和草原局' },
      { prop: 'role', type: 'select', default: '检察官助理' },
      { prop: 'note' },
    ],
    fromRecord: (r) => ({ kind: r.member_id ? 'member' : r.person_name ? 'person' : 'unit' }),
    toBody: (body, form) => {
      // the kinds not chosen are cleared, so that a member who becomes a unit is one thing
      for (const [k, props] of [['member', ['member_id']], ['person', ['person_name', 'person_quota']], ['unit', ['unit_name']]])
        if (form.kind !== k) for (const p of props) if (p in body || form.id) body[p] = p === 'person_quota' ? false : null
      return body
    },
    filters: [],
  },

  'case-reviews': {
    title: '三必评',
    noun: '评议',
    search: false,
    columns: [
      { prop: 'aspect', label: '评议项目', width: 110 },
      { prop: 'score', label: '得分', width: 80, align: 'center' },
      { prop: 'comment', label: '评语', minWidth: 200, showOverflow: true },
      { prop: 'reviewer_name', label: '评议人', width: 110 },
      { prop: 'reviewed_on', label: '评议日期', width: 112 },
      { prop: 'branch_name', label: '评议党组织', minWidth: 150 },
    ],
    fields: [
      { prop: 'case_id', type: 'ref', ref: REF.cases, initialLabel: 'case_title' },
      { prop: 'aspect', type: 'select' },
      { prop: 'score', type: 'number', hint: '百分制：90 以上优，80–89 良，60–79 合格，60 以下不合格' },
      { prop: 'comment', type: 'textarea' },
      { prop: 'reviewed_on', type: 'date', hint: '留空为今天' },
      { prop: 'branch_id', type: 'ref', ref: REF.branches, hint: '留空为主办检察官所在支部' },
    ],
    filters: [],
  },

  // ---- public-interest litigation, patrols, outreach (src/domain/pil.c) ---------------------
  'pil-matters': {
    title: '公益诉讼线索',
    noun: '线索',
    search: '线索名称、行政机关',
    link: (r) => '/pil-matters/' + r.id,
    columns: [
      { prop: 'title', label: '线索名称', type: 'title', minWidth: 220 },
      { prop: 'field', label: '领域', minWidth: 130 },
      { prop: 'source', label: '来源', width: 110 },
      { prop: 'stage', label: '阶段', width: 110 },
      { prop: 'clue_on', label: '发现日期', width: 110, sortable: true },
      { prop: 'reply_due', label: '回复期限', width: 110, sortable: true },
      { prop: 'due_state', label: '回复', width: 90 },
      { prop: 'organ', label: '行政机关', minWidth: 150, showOverflow: true },
      { prop: 'procuratorate_name', label: '检察院', type: 'ref', collection: 'procuratorates', idProp: 'procuratorate_id', minWidth: 170 },
    ],
    fields: [
      { prop: 'procuratorate_id', type: 'ref', ref: REF.procuratorates, resets: ['branch_id'] },
      { prop: 'branch_id', type: 'ref', ref: REF.branches, hint: '承办的党组织（可选；支部书记只能记录本支部的线索）' },
      { prop: 'title' },
      { prop: 'source', type: 'select', half: true },
      { prop: 'field', type: 'select', half: true },
      { prop: 'organ', hint: '发出诉前检察建议时必填' },
      { prop: 'collaboration', type: 'select', half: true, resets: ['partners'] },
      { prop: 'mechanism', half: true, placeholder: '如：检察+行政文物司法保护协作机制' },
      { prop: 'partners', placeholder: '协作的行政机关，多个以“、”分隔', show: (f) => !!f.collaboration },
      { prop: 'summary', type: 'textarea' },
      { prop: 'clue_on', type: 'date', half: true },
      { prop: 'filed_on', type: 'date', half: true },
      { prop: 'recommended_on', type: 'date', half: true, hint: '行政机关应在两个月内回复' },
      { prop: 'reply_on', type: 'date', half: true },
      { prop: 'rectified_on', type: 'date', half: true },
      { prop: 'sued_on', type: 'date', half: true, hint: '整改或起诉只记其一' },
      { prop: 'revisited_on', type: 'date', half: true },
    ],
    filters: [
      procFilter,
      { prop: 'field', label: '领域', type: 'select', width: '170px' },
      { prop: 'stage', label: '阶段', type: 'select', options: PIL_STAGES, width: '140px' },
      { prop: 'due', label: '回复期限', type: 'select', options: PIL_DUE, width: '140px' },
      { prop: 'source', label: '来源', type: 'select', width: '140px' },
    ],
  },

  patrols: {
    title: '巡查记录',
    noun: '巡查记录',
    search: '地点或发现情况',
    link: (r) => '/patrols/' + r.id,
    columns: [
      { prop: 'patrolled_on', label: '巡查日期', width: 110, sortable: true },
      { prop: 'place', label: '地点', type: 'title', minWidth: 200 },
      { prop: 'kind', label: '方式', width: 130 },
      { prop: 'problem_found', label: '发现问题', type: 'bool', width: 84, align: 'center' },
      { prop: 'matter_count', label: '转出线索', width: 84, align: 'center' },
      { prop: 'findings', label: '发现情况', minWidth: 180, showOverflow: true },
      { prop: 'branch_name', label: '支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 200, branchLink: true },
    ],
    fields: [
      { prop: 'branch_id', type: 'ref', ref: REF.branches, resets: ['member_ids'] },
      { prop: 'patrolled_on', type: 'date', half: true },
      { prop: 'kind', type: 'select', half: true, default: '党员突击队巡查', resets: ['officials'] },
      { prop: 'place' },
      { prop: 'lat', half: true, placeholder: '如 44.1273（可选）', hint: '十进制度数，北纬为正' },
      { prop: 'lng', half: true, placeholder: '如 122.3251（可选）', hint: '十进制度数，东经为正' },
      { prop: 'member_ids', component: MemberPicker, hint: '本院党员，可多选；输入姓名或拼音搜索' },
      { prop: 'officials', component: OfficialsInput, show: (f) => f.kind === '党员+行政长官联合巡查', required: true },
      { prop: 'problem_found', type: 'bool', default: false },
      { prop: 'findings', type: 'textarea' },
    ],
    filters: [procFilter, branchFilter, { prop: 'kind', label: '方式', type: 'select', width: '190px' }, { prop: 'problem_found', label: '发现问题', type: 'check' }],
  },

  outreach: {
    title: '法律服务与普法宣传',
    noun: '活动',
    search: '主题或地点',
    link: (r) => '/outreach/' + r.id,
    columns: [
      { prop: 'held_on', label: '日期', width: 110, sortable: true },
      { prop: 'topic', label: '主题', type: 'title', minWidth: 200 },
      { prop: 'programme', label: '类别', width: 120 },
      { prop: 'kind', label: '线上/线下', width: 90, align: 'center' },
      { prop: 'form', label: '固定/流动', width: 90, align: 'center' },
      { prop: 'place', label: '地点或平台', minWidth: 150, showOverflow: true },
      { prop: 'audience', label: '对象', width: 90 },
      { prop: 'audience_size', label: '人数', width: 80, align: 'right', sortable: true },
      { prop: 'language', label: '语言', width: 80 },
      { prop: 'branch_name', label: '支部', type: 'ref', collection: 'branches', idProp: 'branch_id', minWidth: 200, branchLink: true },
    ],
    fields: [
      { prop: 'branch_id', type: 'ref', ref: REF.branches, resets: ['member_ids'] },
      { prop: 'held_on', type: 'date', half: true },
      { prop: 'programme', type: 'select', half: true, default: '普法宣传' },
      { prop: 'kind', type: 'radio', half: true, default: '线下', resets: ['form'] },
      { prop: 'form', type: 'radio', half: true, show: (f) => f.kind === '线下' },
      { prop: 'place', placeholder: '线下为地点，线上为平台（如 微信公众号）' },
      { prop: 'topic' },
      { prop: 'audience', type: 'select', half: true },
      { prop: 'audience_size', type: 'number', half: true },
      { prop: 'language', type: 'radio', default: '汉语' },
      { prop: 'member_ids', component: MemberPicker, hint: '本院党员，可多选' },
      { prop: 'summary', type: 'textarea' },

    ],
    filters: [
      procFilter,
      branchFilter,
      { prop: 'kind', label: '线上/线下', type: 'select', width: '110px' },
      { prop: 'form', label: '固定/流动', type: 'select', width: '120px' },
      { prop: 'audience', label: '对象', type: 'select', width: '120px' },
      { prop: 'language', label: '语言', type: 'select', width: '110px' },
    ],
  },

  // 12309 (src/domain/service.c): deadlines are the server's, derived from the holidays
  holidays: {
    title: '节假日',
    noun: '节假日',
    search: '名称',
    columns: [
      { prop: 'date', label: '日期', width: 130, sortable: true },
      { prop: 'kind', label: '类型', type: 'options', options: [{ value: '休', label: '休（放假）' }, { value: '班', label: '班（调休上班）' }], width: 140 },
      { prop: 'name', label: '名称', minWidth: 200 },
    ],
    fields: [
      { prop: 'date', type: 'date', hint: '修改后，各诉求的期限随之重新计算' },
      { prop: 'kind', type: 'radio', options: [{ value: '休', label: '休（放假）' }, { value: '班', label: '班（调休上班，周六或周日）' }], default: '休' },
      { prop: 'name', hint: '如 春节、国庆节调休上班' },
    ],
    filters: [{ prop: 'kind', label: '类型', type: 'select', options: [{ value: '休', label: '休' }, { value: '班', label: '班' }], width: '100px' }],
  },

  requests: {
    title: '12309诉求',
    noun: '诉求',
    search: '受理编号或摘要',
    link: (r) => '/requests/' + r.id,
    // the receipt code comes once, with the new record: shown so that it can be given to
    // the requester (the request's page prints a receipt with a new one)
    createdNotice: (r) => `受理编号 ${r.number}，查询码 ${r.receipt_code}。查询码只显示这一次，请抄录或打印交来访人，凭编号和查询码在“12309 办理进度查询”页面（/progress）查询。`,
    columns: [
      { prop: 'number', label: '受理编号', type: 'linkText', minWidth: 150 },
      { prop: 'received_on', label: '收到日期', width: 110, sortable: true },
      { prop: 'channel', label: '渠道', width: 70 },
      { prop: 'kind', label: '类型', width: 90 },
      { prop: 'requester_name', label: '来访人', width: 90 },
      { prop: 'branch_id', label: '承办支部', type: 'ref', collection: 'branches', minWidth: 150 },
      { prop: 'status', label: '状态', width: 80 },
      { prop: 'next_due', label: '最近期限', type: 'due', width: 130, sortable: true },
      { prop: 'satisfaction', label: '满意度', width: 90 },
    ],
    fields: [
      { prop: 'branch_id', type: 'ref', ref: REF.branches, resets: ['department_id'] },
      { prop: 'department_id', type: 'ref', ref: REF.departments },
      { prop: 'number', hint: '留空则自动编号（12309-年份-序号）' },
      { prop: 'channel', type: 'select', options: ['来信', '来访', '网络', '电话', '视频'].map((v) => ({ value: v, label: v })), half: true },
      { prop: 'kind', type: 'select', options: ['控告', '申诉', '举报', '咨询', '国家赔偿', '司法救助', '其他'].map((v) => ({ value: v, label: v })), half: true },
      { prop: 'received_on', type: 'date', hint: '程序性答复期限按 7 个工作日计算（节假日表）' },
      { prop: 'requester_name' },
      { prop: 'summary', type: 'textarea' },
      { prop: 'closed_on', type: 'date', hint: '须已答复' },
      { prop: 'satisfaction', type: 'select', options: ['满意', '基本满意', '不满意'].map((v) => ({ value: v, label: v })), hint: '须已答复' },
    ],
    filters: [
      procFilter,
      branchFilter,
      { prop: 'due', label: '期限', type: 'select', options: DUE_STATES, width: '130px' },
      { prop: 'status', label: '状态', type: 'select', options: ['待答复', '办理中', '已办结'].map((v) => ({ value: v, label: v })), width: '110px' },
      { prop: 'kind', label: '类型', type: 'select', options: ['控告', '申诉', '举报', '咨询', '国家赔偿', '司法救助', '其他'].map((v) => ({ value: v, label: v })), width: '120px' },
      { prop: 'satisfaction', label: '满意度', type: 'select', options: ['满意', '基本满意', '不满意'].map((v) => ({ value: v, label: v })), width: '120px' },
    ],
  },

  // ---- the evaluation's hand-entered values (src/domain/eval_manual.c): 待审核 until
  // another administrator approves or rejects them (the row buttons: CrudTable rowButtons)
  'eval-manual-values': {
    title: '手工录入分值',
    noun: '分值',
    search: false,
    columns: [
      { prop: 'subject_name', label: '评价对象', minWidth: 160, showOverflow: true, format: (r) => subjectKindLabel(r.subject_kind) + ' · ' + (r.subject_name || '#' + r.subject_id) },
      { prop: 'branch_id', label: '所属党组织', type: 'ref', collection: 'branches', branchLink: true, minWidth: 160 },
      { prop: 'scheme_name', label: '方案', minWidth: 200, showOverflow: true },
      { prop: 'indicator', label: '指标', minWidth: 100 },
      { prop: 'period', label: '期间', width: 90, sortable: true },
      { prop: 'value', label: '分值', width: 76, align: 'center' },
      { prop: 'evidence_note', label: '佐证', minWidth: 160, showOverflow: true, format: (r) => r.evidence_note || (r.evidence_attachment_id ? '材料 #' + r.evidence_attachment_id : '') },
      { prop: 'status', label: '状态', type: 'tag', width: 86, tag: (r) => (r.status ? { text: r.status, type: MANUAL_STATUS_TYPES[r.status] || 'info' } : null) },
      { prop: 'entered_by', label: '录入人', width: 90, format: (r) => userText(r.entered_by) },
      { prop: 'approved_by', label: '审核人', width: 90, format: (r) => userText(r.approved_by) },
      { prop: 'approved_at', label: '审核时间', width: 160 },
    ],
    fields: [
      { prop: 'subject_kind', type: 'select', options: SUBJECT_KINDS, default: 'branch', resets: ['subject_id'], hint: '指标“适用”的对象：党支部、检察院、党员或党小组' },
      { prop: 'branch_id', type: 'ref', ref: REF.branches, required: isBranchValue, show: isBranchValue },
      { prop: 'subject_id', component: SubjectSelect, required: true, show: (f) => !isBranchValue(f) },
      { prop: 'scheme_id', type: 'ref', ref: { collection: 'eval-schemes', label: (r) => r.name + (r.edition ? '（第 ' + r.edition + ' 版）' : '') }, resets: ['indicator'] },
      { prop: 'indicator', component: ManualIndicatorSelect, hint: '方案中“手工录入 = 是”的指标，如 述职评议' },
      { prop: 'period', half: true, placeholder: '如 2025、2025-Q3、2025-07' },
      { prop: 'value', half: true, placeholder: '0–100，如 92.5' },
      { prop: 'evidence_note', type: 'textarea', hint: '须有佐证：填写佐证说明（或在材料中上传后填其编号）' },
      { prop: 'evidence_attachment_id', type: 'number', min: 1, hint: '佐证材料的编号（可选）' },
    ],
    filters: [
      { prop: 'status', label: '状态', type: 'select', options: ['待审核', '已通过', '已退回'].map((v) => ({ value: v, label: v })), width: '110px' },
      { prop: 'subject_kind', label: '评价对象', type: 'select', options: SUBJECT_KINDS, width: '110px' },
      branchFilter,
    ],
    // 通过 / 退回: an administrator's, on a value someone else entered (the server says so
    // again: 403 same_person, 409 not_pending), of the version on screen (changed since:
    // 409 version_conflict)
    rowButtons: [
      { label: '通过', action: 'approve', type: 'success', confirm: '确定通过该分值吗？通过后计入考评。', show: manualDecidable, versioned: true },
      { label: '退回', action: 'reject', type: 'warning', confirm: '确定退回该分值吗？', show: manualDecidable, versioned: true },
    ],
  },

  'request-replies': {
    title: '答复与回访',
    noun: '答复',
    search: false,
    columns: [
      { prop: 'date', label: '日期', width: 110 },
      { prop: 'kind', label: '类型', width: 110 },
      { prop: 'content', label: '内容', minWidth: 240, showOverflow: true },
    ],
    fields: [
      // the request is the page's (fixed): its input is not shown
      { prop: 'request_id', type: 'ref', ref: { collection: 'requests' } },
      { prop: 'kind', type: 'select', options: ['程序性答复', '办理进展', '办理结果', '回访'].map((v) => ({ value: v, label: v })) },
      { prop: 'date', type: 'date' },
      { prop: 'content', type: 'textarea' },
    ],
    filters: [],
  },
}

// Case types without a 起诉 or 裁判 stage (the server's stage lists: cases.c).
const NO_TRIAL = new Set(['审查逮捕', '刑事执行检察监督'])
