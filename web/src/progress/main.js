// The public 12309 progress page (/progress): no login, nothing of the admin interface.
// A requester types the request's number and the receipt code and sees its stages.
import { createApp } from 'vue'
import Progress from './Progress.vue'

createApp(Progress).mount('#progress')
