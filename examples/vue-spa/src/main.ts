import { createApp } from 'vue';
import { createAuthPlugin } from 'tokenkeeper/vue';
import App from './App.vue';
import { auth } from './auth';
import { router } from './router';
import '../../react-spa/src/styles.css'; // demo-only: the same look as the React demo

// The plugin restores the session from the refresh cookie when the app mounts.
createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app');
