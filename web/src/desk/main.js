// The desk's bundle (assets/desk.js), loaded by app.js for logistics and admin.
import { mountDesk, render } from './desk.js';

window.parcDesk = { mountDesk, render };
