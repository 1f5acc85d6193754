import { createRouter, createWebHashHistory } from 'vue-router'
import { session, loadMe, setUnauthenticatedHandler, may, collectionMeta } from './api.js'
import Layout from './components/Layout.vue'
import Login from './views/Login.vue'
import OrgTree from './views/OrgTree.vue'
import BranchDetail from './views/BranchDetail.vue'
import BrandWall from './views/BrandWall.vue'
import Members from './views/Members.vue'
import MemberDetail from './views/MemberDetail.vue'
import CrudPage from './views/CrudPage.vue'
import Audit from './views/Audit.vue'
import Jobs from './views/Jobs.vue'
import MySessions from './views/MySessions.vue'
import Forbidden from './views/Forbidden.vue'
import Requests from './views/Requests.vue'
import RequestDetail from './views/RequestDetail.vue'
// the home page's charts (ECharts) load with it, not with every page
const Home = () => import('./views/Home.vue')

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
      { path: 'manage/:collection', name: 'manage', component: CrudPage, meta: { title: '管理' } },
      { path: 'audit', name: 'audit', component: Audit, meta: { title: '审计日志', collection: 'audit' } },
      { path: 'jobs', name: 'jobs', component: Jobs, meta: { title: '后台任务', collection: 'jobs' } },
      { path: 'sessions', name: 'my-sessions', component: MySessions, meta: { title: '我的登录会话' } },
      { path: 'requests', name: 'requests', component: Requests, meta: { title: '12309 检察服务', collection: 'requests' } },
      { path: 'requests/:id(\\d+)', name: 'request', component: RequestDetail, meta: { title: '12309 诉求', collection: 'requests', menu: '/requests' } },
      { path: 'forbidden', name: 'forbidden', component: Forbidden, meta: { title: '无权访问' } },
    ],
  },
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
