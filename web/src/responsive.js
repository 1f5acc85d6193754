// responsive: whether the screen is phone-sized (below 768 px), as one reactive flag that
// the layout (menu in a drawer) and the lists (cards instead of tables) follow.
import { ref } from 'vue'

export const PHONE_QUERY = '(max-width: 767px)'

const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(PHONE_QUERY) : null
export const narrow = ref(!!(mq && mq.matches))
if (mq) mq.addEventListener('change', (e) => (narrow.value = e.matches))
