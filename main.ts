import { App } from 'cdktf';
import { errorStream, runApp } from './stacks/app';

const print = errorStream(process.env) === 'stdout' ? console.log : console.error;
process.exitCode = runApp(new App(), process.env, print);
