// acceptance.js: the networking acceptance script for unmodified node.exe.
//
// tests/node/run-node runs it with node.exe 18, 20 and 22 under Wine, once
// with this project's ws2_32.dll and once with Wine's built-in one.  Every
// case is independent, has its own time limit, stays on loopback and prints
// exactly one result line:
//
//   ok NAME
//   FAIL NAME: reason
//
// Progress lines start with '#': "# plan NAME..." (the cases this run will
// try, in order), "# start NAME" before each case and "# done" at the end,
// so that a runner can tell which case was running when the process had to
// be killed (a blocked event loop cannot fire a time limit).
//
//   node acceptance.js [--list] [NAME...]   (default: every case)
//
// Environment: ACCEPT_CASE_MS, the time limit of one case (default 15000).
// The exit status is 0 when every case passed, 1 otherwise.
'use strict';

const net = require('net');
const dgram = require('dgram');
const dns = require('dns');
const http = require('http');
const crypto = require('crypto');
const { once } = require('events');

const CASE_MS = Number(process.env.ACCEPT_CASE_MS) || 15000;
const MiB = 1024 * 1024;

// ------------------------------------------------------------------ helpers

class CaseError extends Error {}

function expect(cond, what)
{
    if (!cond)
        throw new CaseError(what);
}

function expect_equal(seen, wanted, what)
{
    if (seen !== wanted)
        throw new CaseError(`${what}: expected ${JSON.stringify(wanted)}, saw ${JSON.stringify(seen)}`);
}

// Everything a case opens is closed when it ends, passed or not, so a case
// that timed out leaves nothing that keeps the next one or the process busy.
class Context
{
    constructor()
    {
        this.closers = [];
    }

    track(obj, closer)
    {
        this.closers.push(closer || (() => (typeof obj.destroy === 'function' ? obj.destroy() : obj.close())));
        return obj;
    }

    cleanup()
    {
        for (const close of this.closers.reverse())
        {
            try
            {
                close();
            }
            catch (e)
            {
                // Already closed: nothing to do.
            }
        }
        this.closers = [];
    }
}

function tcp_server(ctx, options, on_connection)
{
    const server = net.createServer(options, on_connection);
    const sockets = new Set();
    server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
    });
    ctx.track(server, () => {
        for (const s of sockets)
            s.destroy();
        server.close();
    });
    return server;
}

// Resolves with the bound address once the server listens.
function listen(server, port, host)
{
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve(server.address());
        });
    });
}

// Resolves with the socket once it is connected.
function connect(ctx, options)
{
    return new Promise((resolve, reject) => {
        const sock = ctx.track(net.connect(options));
        sock.once('error', reject);
        sock.once('connect', () => {
            sock.off('error', reject);
            resolve(sock);
        });
    });
}

// Resolves with the first n bytes the socket receives.
function read_bytes(sock, n)
{
    return new Promise((resolve, reject) => {
        const chunks = [];
        let got = 0;
        const on_data = (d) => {
            chunks.push(d);
            got += d.length;
            if (got >= n)
            {
                finish();
                resolve(Buffer.concat(chunks));
            }
        };
        const on_end = () => {
            finish();
            reject(new CaseError(`connection ended after ${got} of ${n} bytes`));
        };
        const on_error = (e) => {
            finish();
            reject(e);
        };
        const finish = () => {
            sock.off('data', on_data);
            sock.off('end', on_end);
            sock.off('error', on_error);
        };
        sock.on('data', on_data);
        sock.on('end', on_end);
        sock.on('error', on_error);
    });
}

// Resolves with everything the socket receives up to its end.
function read_to_end(sock)
{
    return new Promise((resolve, reject) => {
        const chunks = [];
        sock.on('data', (d) => chunks.push(d));
        sock.once('end', () => resolve(Buffer.concat(chunks)));
        sock.once('error', reject);
    });
}

// Digest and length of everything the socket receives up to its end.
function hash_to_end(sock)
{
    return new Promise((resolve, reject) => {
        const hash = crypto.createHash('sha256');
        let length = 0;
        sock.on('data', (d) => {
            hash.update(d);
            length += d.length;
        });
        sock.once('end', () => resolve({ digest: hash.digest('hex'), length }));
        sock.once('error', reject);
    });
}

// Writes buf in chunks, honouring back-pressure, then ends the socket.
async function write_all_and_end(sock, buf, chunk)
{
    for (let off = 0; off < buf.length; off += chunk)
    {
        if (!sock.write(buf.subarray(off, off + chunk)))
            await once(sock, 'drain');
    }
    sock.end();
}

function sha256(buf)
{
    return crypto.createHash('sha256').update(buf).digest('hex');
}

function udp_socket(ctx, type)
{
    const sock = dgram.createSocket(type);
    ctx.track(sock);
    return sock;
}

function udp_bind(sock, port, host)
{
    return new Promise((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(port, host, () => {
            sock.off('error', reject);
            resolve(sock.address());
        });
    });
}

// Resolves with the next n datagrams the socket receives: [{msg, rinfo}].
function udp_receive(sock, n)
{
    return new Promise((resolve, reject) => {
        const got = [];
        const on_message = (msg, rinfo) => {
            got.push({ msg, rinfo });
            if (got.length === n)
            {
                sock.off('message', on_message);
                sock.off('error', reject);
                resolve(got);
            }
        };
        sock.on('message', on_message);
        sock.once('error', reject);
    });
}

// A port nobody listens on: bound, then closed again.
async function free_port(ctx)
{
    const server = tcp_server(ctx, {});
    const addr = await listen(server, 0, '127.0.0.1');
    await new Promise((resolve) => server.close(resolve));
    return addr.port;
}

function is_loopback(addr)
{
    return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

// -------------------------------------------------------------------- cases

// One short exchange with an echo server on HOST; the client connects to
// CONNECT_HOST (default HOST); PEER_ADDR is the address the server must see.
async function echo_exchange(ctx, host, connect_host, peer_addr)
{
    let seen_peer;
    const server = tcp_server(ctx, {}, (s) => {
        seen_peer = s.remoteAddress;
        s.pipe(s);
    });
    const addr = await listen(server, 0, host);
    const sock = await connect(ctx, { host: connect_host, port: addr.port });
    expect_equal(sock.remoteAddress, connect_host, 'client remoteAddress');
    expect_equal(sock.remotePort, addr.port, 'client remotePort');
    const message = Buffer.from(`hello over ${host} from ${connect_host}`);
    sock.write(message);
    const echoed = await read_bytes(sock, message.length);
    expect(echoed.equals(message), `echo differs: ${JSON.stringify(echoed.toString())}`);
    expect_equal(seen_peer, peer_addr, 'server remoteAddress');
    sock.end();
}

// tests/node/run-node finds the case names in the lines "    async NAME(ctx)".
const cases = {
    async tcp4(ctx)
    {
        await echo_exchange(ctx, '127.0.0.1', '127.0.0.1', '127.0.0.1');
    },

    async tcp6(ctx)
    {
        await echo_exchange(ctx, '::1', '::1', '::1');
    },

    // A server on :: (not IPv6-only) takes an IPv4 client as a mapped address.
    async dualstack(ctx)
    {
        await echo_exchange(ctx, '::', '127.0.0.1', '::ffff:127.0.0.1');
    },

    // 8 MiB each way at once, in 64 KiB writes; compared by SHA-256.
    async bulk(ctx)
    {
        const size = 8 * MiB;
        const chunk = 64 * 1024;
        const up = crypto.randomBytes(size);
        const down = crypto.randomBytes(size);
        let server_got;
        const server = tcp_server(ctx, { allowHalfOpen: true }, (s) => {
            server_got = hash_to_end(s);
            write_all_and_end(s, down, chunk).catch(() => {});
        });
        const addr = await listen(server, 0, '127.0.0.1');
        const sock = await connect(ctx, { host: '127.0.0.1', port: addr.port, allowHalfOpen: true });
        const client_got = hash_to_end(sock);
        await write_all_and_end(sock, up, chunk);
        const got_down = await client_got;
        expect_equal(got_down.length, size, 'bytes received by the client');
        expect_equal(got_down.digest, sha256(down), 'SHA-256 of what the client received');
        expect(server_got, 'the server saw no connection');
        const got_up = await server_got;
        expect_equal(got_up.length, size, 'bytes received by the server');
        expect_equal(got_up.digest, sha256(up), 'SHA-256 of what the server received');
    },

    // 50 clients connect at once; each gets its own line echoed.
    async concurrent50(ctx)
    {
        const count = 50;
        let accepted = 0;
        const server = tcp_server(ctx, {}, (s) => {
            accepted++;
            s.pipe(s);
        });
        const addr = await listen(server, 0, '127.0.0.1');
        const clients = [];
        for (let i = 0; i < count; i++)
        {
            clients.push((async () => {
                const sock = await connect(ctx, { host: '127.0.0.1', port: addr.port });
                const line = Buffer.from(`client ${i}\n`);
                sock.write(line);
                const echoed = await read_bytes(sock, line.length);
                expect(echoed.equals(line), `client ${i} got ${JSON.stringify(echoed.toString())}`);
                sock.end();
            })());
        }
        const results = await Promise.allSettled(clients);
        const failed = results.filter((r) => r.status === 'rejected');
        if (failed.length)
            throw new CaseError(`${failed.length} of ${count} clients failed, first: ${failed[0].reason.message}`);
        expect_equal(accepted, count, 'connections accepted');
    },

    async refused(ctx)
    {
        const port = await free_port(ctx);
        try
        {
            await connect(ctx, { host: '127.0.0.1', port });
        }
        catch (e)
        {
            expect_equal(e.code, 'ECONNREFUSED', 'error code');
            return;
        }
        throw new CaseError('connected to a port nobody listens on');
    },

    async eaddrinuse(ctx)
    {
        const first = tcp_server(ctx, {});
        const addr = await listen(first, 0, '127.0.0.1');
        const second = tcp_server(ctx, {});
        try
        {
            await listen(second, addr.port, '127.0.0.1');
        }
        catch (e)
        {
            expect_equal(e.code, 'EADDRINUSE', 'error code');
            return;
        }
        throw new CaseError('a second server listens on the same port');
    },

    // The client ends its side first and still receives the server's reply.
    async halfclose(ctx)
    {
        let server_done;
        const server = tcp_server(ctx, { allowHalfOpen: true }, (s) => {
            server_done = read_to_end(s).then((request) => {
                return new Promise((resolve) => setTimeout(() => {
                    s.end(`reply to ${request}`);
                    resolve(request.toString());
                }, 100));
            });
        });
        const addr = await listen(server, 0, '127.0.0.1');
        const sock = await connect(ctx, { host: '127.0.0.1', port: addr.port, allowHalfOpen: true });
        const reply = read_to_end(sock);
        sock.end('request');
        expect_equal((await reply).toString(), 'reply to request', 'reply after the half-close');
        expect_equal(await server_done, 'request', 'what the server read before the end');
    },

    // The server resets the connection: the client's read fails with ECONNRESET.
    async reset(ctx)
    {
        const server = tcp_server(ctx, {}, (s) => {
            s.once('data', () => s.resetAndDestroy());
        });
        const addr = await listen(server, 0, '127.0.0.1');
        const sock = await connect(ctx, { host: '127.0.0.1', port: addr.port });
        sock.write('reset me');
        await expect_reset(sock);
    },

    // Closing a socket with unread data resets the connection, too.
    async reset_unread(ctx)
    {
        const server = tcp_server(ctx, { pauseOnConnect: true }, (s) => {
            setTimeout(() => s.destroy(), 300);
        });
        const addr = await listen(server, 0, '127.0.0.1');
        const sock = await connect(ctx, { host: '127.0.0.1', port: addr.port });
        sock.write('never read');
        await expect_reset(sock);
    },

    async udp4(ctx)
    {
        await udp_exchange(ctx, 'udp4', '127.0.0.1');
    },

    async udp6(ctx)
    {
        await udp_exchange(ctx, 'udp6', '::1');
    },

    // socket.connect(): send without an address, receive only from the peer.
    async udp_connected(ctx)
    {
        const server = udp_socket(ctx, 'udp4');
        const saddr = await udp_bind(server, 0, '127.0.0.1');
        const client = udp_socket(ctx, 'udp4');
        await new Promise((resolve, reject) => {
            client.once('error', reject);
            client.connect(saddr.port, '127.0.0.1', () => {
                client.off('error', reject);
                resolve();
            });
        });
        const remote = client.remoteAddress();
        expect_equal(remote.address, '127.0.0.1', 'remoteAddress().address');
        expect_equal(remote.port, saddr.port, 'remoteAddress().port');
        const at_server = udp_receive(server, 1);
        client.send('hello peer');
        const [req] = await at_server;
        expect_equal(req.msg.toString(), 'hello peer', 'datagram at the server');
        expect_equal(req.rinfo.port, client.address().port, 'sender port seen by the server');
        const at_client = udp_receive(client, 1);
        server.send('hello back', req.rinfo.port, req.rinfo.address);
        const [reply] = await at_client;
        expect_equal(reply.msg.toString(), 'hello back', 'datagram at the client');
        expect_equal(reply.rinfo.port, saddr.port, 'sender port seen by the client');
    },

    async dns_lookup(ctx)
    {
        const any = await dns.promises.lookup('localhost');
        expect(is_loopback(any.address), `localhost is ${any.address}`);
        expect_equal(any.family, any.address.includes(':') ? 6 : 4, 'family');
        const v4 = await dns.promises.lookup('localhost', { family: 4 });
        expect_equal(v4.address, '127.0.0.1', 'localhost with family 4');
        expect_equal(v4.family, 4, 'family');
    },

    async dns_lookup_all(ctx)
    {
        const all = await dns.promises.lookup('localhost', { all: true });
        expect(Array.isArray(all) && all.length > 0, 'no addresses for localhost');
        for (const a of all)
            expect(is_loopback(a.address), `localhost gives ${a.address}`);
        expect(all.some((a) => a.address === '127.0.0.1' && a.family === 4),
               `127.0.0.1 missing from ${JSON.stringify(all)}`);
    },

    // Several requests through a keep-alive agent travel on one connection.
    async http_keepalive(ctx)
    {
        let connections = 0;
        const server = http.createServer((req, res) => {
            let body = '';
            req.on('data', (d) => (body += d));
            req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
        });
        server.on('connection', () => connections++);
        ctx.track(server, () => {
            if (typeof server.closeAllConnections === 'function')
                server.closeAllConnections();
            server.close();
        });
        const addr = await listen(server, 0, '127.0.0.1');
        const agent = ctx.track(new http.Agent({ keepAlive: true, maxSockets: 1 }));
        const requests = 5;
        for (let i = 0; i < requests; i++)
        {
            const method = i % 2 ? 'POST' : 'GET';
            const body = i % 2 ? `body ${i}` : '';
            const res = await new Promise((resolve, reject) => {
                const req = http.request({ agent, host: '127.0.0.1', port: addr.port, method, path: `/r${i}` });
                req.on('response', (r) => {
                    r.reused = req.reusedSocket;
                    resolve(r);
                });
                req.on('error', reject);
                req.end(body);
            });
            const text = (await read_to_end(res)).toString();
            expect_equal(res.statusCode, 200, `status of request ${i}`);
            expect_equal(text, `${method} /r${i} ${body}`, `response ${i}`);
            expect_equal(res.reused, i > 0, `reusedSocket of request ${i}`);
        }
        expect_equal(connections, 1, 'connections the server saw');
    },
};

async function expect_reset(sock)
{
    const outcome = await new Promise((resolve) => {
        sock.on('data', () => {});
        sock.once('error', (e) => resolve(e.code || e.message));
        sock.once('end', () => resolve('end of stream'));
    });
    expect_equal(outcome, 'ECONNRESET', 'how the read ended');
}

// A few datagrams of different sizes each way between two bound sockets.
async function udp_exchange(ctx, type, host)
{
    const a = udp_socket(ctx, type);
    const b = udp_socket(ctx, type);
    const aaddr = await udp_bind(a, 0, host);
    const baddr = await udp_bind(b, 0, host);
    const sizes = [1, 100, 1400, 8000, 30000];
    for (const [from, fromaddr, to, toaddr] of [[b, baddr, a, aaddr], [a, aaddr, b, baddr]])
    {
        const arriving = udp_receive(to, sizes.length);
        const sent = new Map();
        for (const size of sizes)
        {
            const msg = crypto.randomBytes(size);
            sent.set(size, msg);
            from.send(msg, toaddr.port, host);
        }
        for (const { msg, rinfo } of await arriving)
        {
            expect(sent.has(msg.length), `unexpected datagram of ${msg.length} bytes`);
            expect(msg.equals(sent.get(msg.length)), `datagram of ${msg.length} bytes differs`);
            sent.delete(msg.length);
            expect_equal(rinfo.address, host, 'sender address');
            expect_equal(rinfo.port, fromaddr.port, 'sender port');
            expect_equal(rinfo.family, type === 'udp4' ? 'IPv4' : 'IPv6', 'sender family');
        }
    }
}

// ------------------------------------------------------------------- runner

async function run_case(name)
{
    const ctx = new Context();
    let timer;
    console.log(`# start ${name}`);
    const limit = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new CaseError(`timeout after ${CASE_MS / 1000} s`)), CASE_MS);
    });
    const started = Date.now();
    try
    {
        await Promise.race([cases[name](ctx), limit]);
        console.log(`ok ${name}`);
        return true;
    }
    catch (e)
    {
        const reason = e instanceof CaseError ? e.message : `${e.code || e.name}: ${e.message}`;
        console.log(`FAIL ${name}: ${reason.replace(/\s+/g, ' ')}`);
        return false;
    }
    finally
    {
        clearTimeout(timer);
        ctx.cleanup();
        console.log(`# time ${name} ${Date.now() - started} ms`);
    }
}

async function main()
{
    const args = process.argv.slice(2);
    if (args[0] === '--list')
    {
        console.log(Object.keys(cases).join('\n'));
        return 0;
    }
    const names = args.length ? args : Object.keys(cases);
    const unknown = names.filter((n) => !Object.prototype.hasOwnProperty.call(cases, n));
    if (unknown.length)
    {
        console.error(`unknown case(s): ${unknown.join(' ')}; known: ${Object.keys(cases).join(' ')}`);
        return 2;
    }
    console.log(`# node ${process.version} ${process.platform} ${process.arch}`);
    console.log(`# plan ${names.join(' ')}`);
    let failed = 0;
    for (const name of names)
    {
        if (!(await run_case(name)))
            failed++;
    }
    console.log(`# done ${names.length - failed} of ${names.length} passed`);
    return failed ? 1 : 0;
}

// A stray error from a case that already ended must not end the run.
process.on('uncaughtException', (e) => console.log(`# uncaught ${e.code || e.name}: ${e.message}`));

// Exit at once: a case that timed out may have left a handle that never closes.
main().then((status) => process.exit(status));
