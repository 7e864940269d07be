// The same client module as the React demo's (the README's src/auth.ts): one file, two demos.
export { auth, type User } from '../../react-spa/src/auth';
