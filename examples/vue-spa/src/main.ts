import { createApp } from 'vue';
import { createAuthPlugin } from 'tokenkeeper/vue';
import App from './App.vue';
import { auth } from './auth';
import '../../react-spa/src/styles.css'; // the same look as the React demo

createApp(App).use(createAuthPlugin(auth)).mount('#app');
