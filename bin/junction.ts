#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { createJunctionApp } from '../lib/junction-app';

createJunctionApp(new App());
