/** Options page entry: the real browser APIs, the theme from `?theme=` or the system's. */
import { render } from 'preact';
import '../panel/styles/theme.css';
import './options.css';
import { browserOptionsApi } from './options-api';
import { OptionsApp } from './OptionsApp';

const param = new URLSearchParams(location.search).get('theme');
const theme = param === 'dark' || param === 'light' ? param : null;
render(<OptionsApp api={browserOptionsApi()} theme={theme} />, document.getElementById('app')!);
