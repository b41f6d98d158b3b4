// A real MQTT broker for the tests: Debian's mosquitto on a free loopback port, with its
// own config and persistence in a temp dir; and publishing through mosquitto_pub.
//
//   const b = await startMosquitto();
//   await b.publish('portguard/sensors/s1/event', ['{"state":"alarm"}']);
//   await b.stop();

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, tempDir, removeTempDir } from './daemon.mjs';

export const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
export const MOSQUITTO_PUB = process.env.MOSQUITTO_PUB_BIN ?? 'mosquitto_pub';

const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try { p.kill('SIGKILL'); } catch { /* gone */ }
  }
});

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export class Broker {
  constructor(dir, port) {
    this.dir = dir;
    this.port = port;
    this.log = '';
    this.proc = null;
  }

  /** Starts (or restarts) mosquitto on the same port and persistence. */
  async start() {
    const conf = path.join(this.dir, 'mosquitto.conf');
    fs.writeFileSync(conf, [
      `listener ${this.port} 127.0.0.1`,
      'allow_anonymous true',
      // as root mosquitto would become user mosquitto, who cannot write our temp dir
      `user ${os.userInfo().username}`,
      'persistence true',
      `persistence_location ${this.dir}/`,
      'max_queued_messages 0',
      'max_inflight_messages 100',
      ...(process.env.MOSQUITTO_IT_LOG ? ['log_type all', 'log_dest stdout'] : []),
      '',
    ].join('\n'));
    const p = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(p);
    this.proc = p;
    this.exited = new Promise((r) => p.on('exit', () => { live.delete(p); r(); }));
    for (const s of [p.stdout, p.stderr]) {
      s.setEncoding('utf8').on('data', (c) => {
        this.log = (this.log + c).slice(-16384);
        if (process.env.MOSQUITTO_IT_LOG) fs.appendFileSync(process.env.MOSQUITTO_IT_LOG, c);
      });
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (!live.has(p)) throw new Error(`mosquitto exited: ${this.log}`);
      if (await canConnect(this.port)) return this;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`mosquitto did not listen on ${this.port}: ${this.log}`);
  }

  /**
   * Publishes each line of messages as one message on topic (QoS 1), through one
   * mosquitto_pub process; resolves once mosquitto_pub exited 0 (every message acked).
   */
  publish(topic, messages, { qos = 1 } = {}) {
    return new Promise((resolve, reject) => {
      const p = spawn(MOSQUITTO_PUB, ['-h', '127.0.0.1', '-p', String(this.port), '-q', String(qos),
        '-t', topic, '-l'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.setEncoding('utf8').on('data', (c) => { err += c; });
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}: ${err}`))));
      p.stdin.end(messages.map((m) => m.replace(/\n/g, ' ')).join('\n') + '\n');
    });
  }

  /** Publishes one message, any payload (an empty one too) with mosquitto_pub -m / -n. */
  publishOne(topic, payload, { qos = 1 } = {}) {
    return new Promise((resolve, reject) => {
      const args = ['-h', '127.0.0.1', '-p', String(this.port), '-q', String(qos), '-t', topic];
      if (payload === '') args.push('-n'); else args.push('-m', payload);
      const p = spawn(MOSQUITTO_PUB, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.setEncoding('utf8').on('data', (c) => { err += c; });
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}: ${err}`))));
    });
  }

  /** Stops mosquitto (SIGTERM: it saves its persistence). */
  async stop() {
    if (this.proc && live.has(this.proc)) {
      this.proc.kill('SIGTERM');
      await this.exited;
    }
  }

  async cleanup() {
    await this.stop();
    removeTempDir(this.dir);
  }
}

/** Starts a fresh broker on a free port. */
export async function startMosquitto() {
  const dir = tempDir('portguard-it-mqtt-');
  const port = await freePort();
  const b = new Broker(dir, port);
  return b.start();
}
