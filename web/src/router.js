import { createRouter, createWebHashHistory } from 'vue-router'
import { session, loadMe, setUnauthenticatedHandler, may, collectionMeta } from './api.js'
import Layout from './components/Layout.vue'
import Login from './views/Login.vue'
import OrgTree from './views/OrgTree.vue'
import BranchDetail from './views/BranchDetail.vue'
import BrandWall from './views/BrandWall.vue'
import Members from './views/Members.vue'
import MemberDetail from './views/MemberDetail.vue'
import ActivityDetail from './views/ActivityDetail.vue'
import CaseDetail from './views/CaseDetail.vue'
import CrudPage from './views/CrudPage.vue'
import Audit from './views/Audit.vue'
import Jobs from './views/Jobs.vue'
import MySessions from './views/MySessions.vue'
import Forbidden from './views/Forbidden.vue'
import SyncPairDetail from './views/joint/SyncPairDetail.vue'
import ElementCheckDetail from './views/joint/ElementCheckDetail.vue'
import ProjectDetail from './views/joint/ProjectDetail.vue'
import PairingDetail from './views/joint/PairingDetail.vue'
import MethodCompletion from './views/joint/MethodCompletion.vue'
import PilList from './views/PilList.vue'
import PilMatterDetail from './views/PilMatterDetail.vue'
import PatrolDetail from './views/PatrolDetail.vue'
import OutreachDetail from './views/OutreachDetail.vue'
import RecordAttachments from './views/RecordAttachments.vue'
import Requests from './views/Requests.vue'
import RequestDetail from './views/RequestDetail.vue'
// the home page's charts (ECharts) load with it, not with every page
const Home = () => import('./views/Home.vue')
// the evaluation (考评): its pages load when first visited
const EvalResults = () => import('./views/eval/EvalResults.vue')
const EvalExplain = () => import('./views/eval/EvalExplain.vue')
const EvalSchemes = () => import('./views/eval/EvalSchemes.vue')
const EvalDashboard = () => import('./views/eval/EvalDashboard.vue')
const EvalHonours = () => import('./views/eval/EvalHonours.vue')
const EvalSignals = () => import('./views/eval/EvalSignals.vue')

const routes = [
  { path: '/login', name: 'login', component: Login, meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', redirect: () => homeOf(session.me) },
      // leadership and administrators: figures for their scope; a secretary: their branch
      {
        path: 'home',
        name: 'home',
        component: Home,
        meta: { title: '首页' },
        beforeEnter: () => (homeOf(session.me) === '/home' ? true : homeOf(session.me)),
      },
      { path: 'org', name: 'org', component: OrgTree, meta: { title: '组织架构' } },
      { path: 'branches/:id(\\d+)', name: 'branch', component: BranchDetail, meta: { title: '支部详情', menu: '/org' } },
      { path: 'brand-wall', name: 'brand-wall', component: BrandWall, meta: { title: '品牌墙' } },
      { path: 'members', name: 'members', component: Members, meta: { title: '党员' } },
      { path: 'members/:id(\\d+)', name: 'member', component: MemberDetail, meta: { title: '党员详情', menu: '/members', collection: 'members' } },
      { path: 'activities/:id(\\d+)', name: 'activities', component: ActivityDetail, meta: { title: '组织生活', menu: '/manage/activities', collection: 'activities' } },
      { path: 'cases', name: 'case-list', component: CrudPage, props: { collection: 'cases' }, meta: { title: '案件', collection: 'cases' } },
      { path: 'cases/:id(\\d+)', name: 'cases', component: CaseDetail, meta: { title: '案件详情', menu: '/cases', collection: 'cases' } },
      { path: 'records/:coll/:id(\\d+)/attachments', name: 'attachments', component: RecordAttachments, meta: { title: '附件' } },
      { path: 'manage/:collection', name: 'manage', component: CrudPage, meta: { title: '管理' } },
      // the joint ledgers' detail pages (their lists are /manage/<collection>)
      { path: 'sync-pairs/:id(\\d+)', name: 'sync-pairs', component: SyncPairDetail, meta: { title: '四同步', collection: 'sync-pairs', menu: '/manage/sync-pairs' } },
      { path: 'element-checks/:id(\\d+)', name: 'element-checks', component: ElementCheckDetail, meta: { title: '要素完成', collection: 'element-checks', menu: '/manage/element-checks' } },
      { path: 'projects/:id(\\d+)', name: 'projects', component: ProjectDetail, meta: { title: '联建项目', collection: 'projects', menu: '/manage/projects' } },
      { path: 'pairings/:id(\\d+)', name: 'pairings', component: PairingDetail, meta: { title: '红旗结对', collection: 'pairings', menu: '/manage/pairings' } },
      { path: 'method-completion', name: 'method-completion', component: MethodCompletion, meta: { title: '工作法完成情况', collection: 'element-checks' } },
      { path: 'audit', name: 'audit', component: Audit, meta: { title: '审计日志', collection: 'audit' } },
      { path: 'jobs', name: 'jobs', component: Jobs, meta: { title: '后台任务', collection: 'jobs' } },
      { path: 'sessions', name: 'my-sessions', component: MySessions, meta: { title: '我的登录会话' } },
      // public-interest litigation, patrols, outreach (pil.c)
      { path: 'pil-matters', name: 'pil-matters-list', component: PilList, meta: { title: '公益诉讼线索', collection: 'pil-matters', note: '线索 → 立案 → 诉前检察建议 → 整改或起诉 → 回访；行政机关两个月内回复' } },
      { path: 'pil-matters/:id(\\d+)', name: 'pil-matters', component: PilMatterDetail, meta: { title: '公益诉讼线索', collection: 'pil-matters', menu: '/pil-matters' } },
      { path: 'patrols', name: 'patrols-list', component: PilList, meta: { title: '巡查记录', collection: 'patrols', monthly: true, note: '党员突击队常态化巡查与“党员+行政长官”联合巡查' } },
      { path: 'patrols/:id(\\d+)', name: 'patrols', component: PatrolDetail, meta: { title: '巡查记录', collection: 'patrols', menu: '/patrols' } },
      { path: 'outreach', name: 'outreach-list', component: PilList, meta: { title: '法律服务与普法宣传', collection: 'outreach', monthly: true, note: '“线上+线下”“固定+移动”的法律服务网络' } },
      { path: 'outreach/:id(\\d+)', name: 'outreach', component: OutreachDetail, meta: { title: '法律服务与普法宣传', collection: 'outreach', menu: '/outreach' } },
      { path: 'requests', name: 'requests', component: Requests, meta: { title: '12309 检察服务', collection: 'requests' } },
      { path: 'requests/:id(\\d+)', name: 'request', component: RequestDetail, meta: { title: '12309 诉求', collection: 'requests', menu: '/requests' } },
      { path: 'eval', name: 'eval', component: EvalResults, meta: { title: '考评结果' } },
      { path: 'eval/explain', name: 'eval-explain', component: EvalExplain, meta: { title: '得分解释', menu: '/eval' } },
      { path: 'eval/honours', name: 'eval-honours', component: EvalHonours, meta: { title: '荣誉评定' } },
      { path: 'eval/signals', name: 'eval-signals', component: EvalSignals, meta: { title: '形式化信号' } },
      { path: 'eval/schemes', name: 'eval-schemes', component: EvalSchemes, meta: { title: '考评方案', collection: 'eval-schemes' } },
      { path: 'forbidden', name: 'forbidden', component: Forbidden, meta: { title: '无权访问' } },
    ],
  },
  // the leadership's big screen: the whole window, no menu
  { path: '/eval/dashboard', name: 'eval-dashboard', component: EvalDashboard, meta: { title: '领导驾驶舱' } },
  { path: '/:rest(.*)*', redirect: '/' },
]

/** Where "me" lands after signing in: a secretary on their branch's page, everyone else
 * on the home page of figures. */
export function homeOf(me) {
  if (me && me.role === 'secretary' && me.branch_id) return '/branches/' + me.branch_id
  return '/home'
}

const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  if (!session.loaded) {
    try {
      await loadMe()
    } catch (e) {
      /* the server is unreachable: the login page says so when used */
    }
  }
  if (to.meta.public) return session.me && to.name === 'login' ? { path: homeOf(session.me) } : true
  if (!session.me) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  // a page of a collection the user may not read (_meta) says so (views/Forbidden.vue)
  const collection = to.name === 'manage' ? to.params.collection : to.meta.collection
  if (collection && !may(collection, 'read')) {
    const label = (collectionMeta(collection) || {}).label
    const title = to.name === 'manage' ? (label ? label + '管理' : '') : to.meta.title
    return { name: 'forbidden', query: { from: to.fullPath, title } }
  }
  return true
})

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' · ' : '') + '融合 · 通辽市检察机关党建与业务融合平台'
})

setUnauthenticatedHandler(() => {
  session.me = null
  session.csrf = ''
  if (router.currentRoute.value.name !== 'login') router.push({ path: '/login', query: { next: router.currentRoute.value.fullPath } })
})

export default router
