import { App } from 'aws-cdk-lib';
import { defineArchiveApp } from './archive-app';

defineArchiveApp(new App());
