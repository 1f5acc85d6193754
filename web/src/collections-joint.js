// The joint ledgers (src/domain/joint.c) as the interface shows them: 四同步 pairs,
// method-element checks, joint-building projects and their parties and outcomes, 红旗结对
// pairings and their progress, and the city's guidance of county branches. Presentation
// only, like collections.js (which takes these in with jointCollections()); rules come
// from _meta.
import { L } from './lookups.js'

export const IN_STEP = [
  { value: true, label: '同步' },
  { value: false, label: '不同步' },
]
export const EVIDENCED = [
  { value: true, label: '有佐证' },
  { value: false, label: '无佐证' },
]
export const METHOD_PERIODS = [
  { value: 'month', label: '按月' },
  { value: 'quarter', label: '按季度' },
]
export const UNIT_KINDS = ['学校', '行政机关', '企业', '社区', '其他'].map((v) => ({ value: v, label: v }))
// What each linkable collection is called, for links (evidence, a project's activities).
export const ITEM_COLLS = {
  activities: '组织生活',
  cases: '案件',
  requests: '12309',
  'pil-matters': '公益诉讼',
  patrols: '巡查',
  outreach: '普法宣传',
  projects: '联建项目',
  'sync-pairs': '四同步',
}

const yearNow = () => Number(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 4))

/** The joint collections, given the reference specs and filters of collections.js. */
export function jointCollections({ REF, procFilter, branchFilter }) {
  const cityBranches = { ...REF.branches, filter: (r) => r.procuratorate_id === cityProc() }
  const countyBranches = { ...REF.branches, filter: (r) => r.procuratorate_id !== cityProc() }
  const elements = {
    collection: 'method-elements',
    label: (r) => r.label,
    group: (r) => r.method_name || '',
  }
  return {
    'sync-pairs': {
      title: '四同步',
      noun: '四同步事项',
      search: '业务或党建工作',
      link: (r) => '/sync-pairs/' + r.id,
      columns: [
        { prop: 'business_title', label: '业务工作', type: 'link', minWidth: 180 },
        { prop: 'party_title', label: '党建工作', minWidth: 180 },
        { prop: 'year', label: '年度', width: 70, align: 'center' },
        { prop: 'in_step', label: '是否同步', type: 'options', options: IN_STEP, width: 90, align: 'center' },
        { prop: 'behind_days', label: '最大滞后（天）', width: 120, align: 'center' },
        { prop: 'branch_id', label: '支部', type: 'ref', collection: 'branches', minWidth: 170, branchLink: true },
      ],
      fields: [
        { prop: 'branch_id', type: 'ref', ref: REF.branches },
        { prop: 'year', type: 'number', half: true, default: yearNow() },
        { prop: 'tolerance_days', type: 'number', half: true, default: 7, hint: '两侧相差不超过此天数即为同步' },
        { prop: 'business_title', half: true },
        { prop: 'party_title', half: true },
        // side by side: business on the left, party on the right, stage by stage
        { prop: 'business_plan_on', type: 'date', half: true },
        { prop: 'party_plan_on', type: 'date', half: true },
        { prop: 'business_deploy_on', type: 'date', half: true },
        { prop: 'party_deploy_on', type: 'date', half: true },
        { prop: 'business_implement_on', type: 'date', half: true },
        { prop: 'party_implement_on', type: 'date', half: true },
        { prop: 'business_review_on', type: 'date', half: true },
        { prop: 'party_review_on', type: 'date', half: true },
        { prop: 'note', type: 'textarea' },
      ],
      filters: [
        procFilter,
        branchFilter,
        { prop: 'year', label: '年度', type: 'number', width: '110px' },
        { prop: 'in_step', label: '是否同步', type: 'select', options: [{ value: 'true', label: '同步' }, { value: 'false', label: '不同步' }], width: '110px' },
      ],
    },

    'element-checks': {
      title: '工作法要素完成',
      noun: '要素完成记录',
      search: false,
      link: (r) => '/element-checks/' + r.id,
      columns: [
        { prop: 'element_label', label: '要素', type: 'link', minWidth: 150 },
        { prop: 'method_name', label: '工作法', minWidth: 180 },
        { prop: 'period', label: '期间', width: 90, align: 'center' },
        { prop: 'checked_on', label: '完成日期', width: 110 },
        { prop: 'evidenced', label: '佐证', type: 'options', options: EVIDENCED, width: 90, align: 'center' },
        { prop: 'branch_id', label: '支部', type: 'ref', collection: 'branches', minWidth: 170, branchLink: true },
      ],
      fields: [
        { prop: 'branch_id', type: 'ref', ref: REF.branches },
        { prop: 'element_id', type: 'ref', ref: elements },
        { prop: 'period', half: true, placeholder: '如 2025-03 或 2025-Q1', hint: '按月的工作法写年月，按季度的写年份加季度' },
        { prop: 'checked_on', type: 'date', half: true },
        { prop: 'note', type: 'textarea' },
      ],
      filters: [
        procFilter,
        branchFilter,
        { prop: 'method_id', label: '工作法', type: 'ref', ref: REF.methods, width: '200px' },
        { prop: 'year', label: '年度', type: 'number', width: '110px' },
        { prop: 'evidenced', label: '佐证', type: 'select', options: [{ value: 'true', label: '有佐证' }, { value: 'false', label: '无佐证' }], width: '110px' },
      ],
    },

    projects: {
      title: '联建项目',
      noun: '联建项目',
      search: '项目名称',
      link: (r) => '/projects/' + r.id,
      columns: [
        { prop: 'title', label: '项目', type: 'link', minWidth: 200 },
        { prop: 'kind', label: '联建类型', width: 110 },
        { prop: 'branch_id', label: '牵头支部', type: 'ref', collection: 'branches', minWidth: 170, branchLink: true },
        { prop: 'started_on', label: '开始', width: 110 },
        { prop: 'activity_count', label: '活动', width: 70, align: 'center' },
        { prop: 'outcome_count', label: '成果', width: 70, align: 'center' },
      ],
      fields: [
        { prop: 'branch_id', type: 'ref', ref: REF.branches },
        { prop: 'kind', type: 'select' },
        { prop: 'title' },
        { prop: 'goals', type: 'textarea' },
        { prop: 'started_on', type: 'date', half: true },
        { prop: 'ends_on', type: 'date', half: true },
      ],
      filters: [branchFilter, { prop: 'kind', label: '联建类型', type: 'select', width: '130px' }],
    },

    'project-parties': {
      title: '联建参与方',
      noun: '参与方',
      search: false,
      columns: [
        { prop: 'party_name', label: '参与方', minWidth: 200 },
        { prop: 'unit_kind', label: '类型', width: 100, empty: '党组织' },
        { prop: 'role', label: '分工', minWidth: 160 },
      ],
      fields: [
        { prop: 'party', label: '参与方类型', type: 'radio', options: [{ value: 'branch', label: '党组织' }, { value: 'unit', label: '外部单位' }], virtual: true, default: 'unit', resets: ['party_branch_id', 'unit_name', 'unit_kind'] },
        { prop: 'party_branch_id', type: 'ref', ref: REF.branches, required: true, show: (f) => f.party === 'branch' },
        { prop: 'unit_name', required: true, show: (f) => f.party !== 'branch', placeholder: '如：霍林郭勒市第一中学' },
        { prop: 'unit_kind', type: 'select', options: UNIT_KINDS, required: true, show: (f) => f.party !== 'branch' },
        { prop: 'role' },
      ],
      fromRecord: (r) => ({ party: r.party_branch_id ? 'branch' : 'unit' }),
      filters: [],
    },

    'project-outcomes': {
      title: '联建成果',
      noun: '成果',
      search: false,
      columns: [
        { prop: 'title', label: '成果', type: 'title', minWidth: 200 },
        { prop: 'project_title', label: '项目', minWidth: 180 },
        { prop: 'achieved_on', label: '日期', width: 110 },
        { prop: 'description', label: '说明', minWidth: 200, showOverflow: true },
        { prop: 'credited', label: '记入（各参与方）', type: 'names', minWidth: 240 },
      ],
      fields: [
        { prop: 'title' },
        { prop: 'achieved_on', type: 'date' },
        { prop: 'description', type: 'textarea' },
      ],
      filters: [],
    },

    pairings: {
      title: '红旗结对',
      noun: '结对',
      search: '结对目标',
      link: (r) => '/pairings/' + r.id,
      columns: [
        { prop: 'leading_branch_id', label: '领衔支部', type: 'ref', collection: 'branches', minWidth: 170, branchLink: true },
        { prop: 'branch_id', label: '结对支部', type: 'ref', collection: 'branches', minWidth: 170, branchLink: true },
        { prop: 'goals', label: '目标', type: 'link', minWidth: 200, showOverflow: true },
        { prop: 'started_on', label: '开始', width: 110 },
        { prop: 'latest_status', label: '最新进展', width: 100 },
        { prop: 'latest_score', label: '评分', width: 70, align: 'center' },
      ],
      fields: [
        { prop: 'leading_branch_id', type: 'ref', ref: REF.branches },
        { prop: 'branch_id', type: 'ref', ref: REF.branches },
        { prop: 'goals', type: 'textarea' },
        { prop: 'started_on', type: 'date', half: true },
        { prop: 'ends_on', type: 'date', half: true },
      ],
      filters: [branchFilter],
    },

    'pairing-progress': {
      title: '结对进展',
      noun: '进展',
      search: false,
      columns: [
        { prop: 'noted_on', label: '日期', width: 110 },
        { prop: 'status', label: '状态', width: 90 },
        { prop: 'score', label: '评分', width: 70, align: 'center' },
        { prop: 'note', label: '进展情况', minWidth: 260 },
      ],
      fields: [
        { prop: 'noted_on', type: 'date', half: true },
        { prop: 'status', type: 'select', half: true },
        { prop: 'score', type: 'number' },
        { prop: 'note', type: 'textarea' },
      ],
      filters: [],
    },

    guidance: {
      title: '指导基层',
      noun: '指导记录',
      search: '指导内容',
      columns: [
        { prop: 'held_on', label: '日期', width: 110 },
        { prop: 'kind', label: '方式', width: 100 },
        { prop: 'from_branch_id', label: '指导支部（市院）', type: 'ref', collection: 'branches', minWidth: 180, branchLink: true },
        { prop: 'branch_id', label: '受指导支部', type: 'ref', collection: 'branches', minWidth: 180, branchLink: true },
        { prop: 'summary', label: '指导内容', minWidth: 240, showOverflow: true },
      ],
      fields: [
        { prop: 'from_branch_id', type: 'ref', ref: cityBranches },
        { prop: 'branch_id', type: 'ref', ref: countyBranches },
        { prop: 'kind', type: 'select', half: true },
        { prop: 'held_on', type: 'date', half: true },
        { prop: 'summary', type: 'textarea' },
      ],
      filters: [branchFilter, { prop: 'kind', label: '方式', type: 'select', width: '120px' }],
    },
  }
}

// The city procuratorate's id (level 1), from the lookups.
function cityProc() {
  const c = (L.procuratorates || []).find((p) => p.level === 1)
  return c ? c.id : null
}
