/**
 * The program get_url and uri run on the host, as Ansible's modules do there:
 * the request leaves from the host, not from the controller. Python 3's
 * standard library only (urllib, ssl, hashlib), no third-party package.
 * Parameters arrive as JSON on stdin (so a password is never on a command
 * line, where `ps` would show it); the answer is one JSON object on stdout.
 *
 * Operations:
 *   get_url_plan   looks only: the destination, and (when a download decides
 *                  anything) the body's hashes, streamed and never written.
 *   get_url_apply  downloads into a temp file beside the destination, checks
 *                  the checksum, keeps a backup, renames over the file.
 *   uri            one request; the body returned (bounded) or written to dest.
 */
export const HTTP_SCRIPT = String.raw`
import base64, datetime, email.utils, grp, hashlib, json, os, pwd, re, ssl, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

P = json.load(sys.stdin)
MAX_CONTENT = P.get('max_content', 64 * 1024 * 1024)

def out(d):
    sys.stdout.write(json.dumps(d))
    sys.exit(0)

def fail(why, **kw):
    kw['failed'] = why
    out(kw)

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, hdrs, newurl):
        return None

class SafeRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, hdrs, newurl):
        if req.get_method() not in ('GET', 'HEAD'):
            return None
        return urllib.request.HTTPRedirectHandler.redirect_request(self, req, fp, code, msg, hdrs, newurl)

def opener():
    handlers = []
    ctx = ssl.create_default_context(cafile=P.get('ca_path') or None)
    if not P.get('validate_certs', True):
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if P.get('client_cert'):
        ctx.load_cert_chain(P['client_cert'], P.get('client_key') or None)
    handlers.append(urllib.request.HTTPSHandler(context=ctx))
    if not P.get('use_proxy', True):
        handlers.append(urllib.request.ProxyHandler({}))
    user = P.get('url_username')
    if user and not P.get('force_basic_auth'):
        pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        pm.add_password(None, P['url'], user, P.get('url_password') or '')
        handlers.append(urllib.request.HTTPBasicAuthHandler(pm))
    follow = P.get('follow_redirects', 'safe')
    if follow in ('no', 'none'):
        handlers.append(NoRedirect())
    elif follow == 'safe':
        handlers.append(SafeRedirect())
    return urllib.request.build_opener(*handlers)

def request(method, extra=None):
    """(response or None, info) as Ansible's fetch_url gives them: info has status, msg, url and the lowercased headers."""
    headers = {'User-Agent': P.get('http_agent') or 'ansible-httpget'}
    headers.update(P.get('headers') or {})
    headers.update(extra or {})
    user = P.get('url_username')
    if user and P.get('force_basic_auth'):
        token = base64.b64encode(('%s:%s' % (user, P.get('url_password') or '')).encode()).decode()
        headers['Authorization'] = 'Basic ' + token
    body = base64.b64decode(P['body']) if P.get('body') is not None else None
    req = urllib.request.Request(P['url'], data=body, headers=headers, method=method)
    info = {'url': P['url'], 'status': -1}
    try:
        r = opener().open(req, timeout=P.get('timeout', 10))
    except urllib.error.HTTPError as e:
        info.update({k.lower(): v for k, v in e.headers.items()} if e.headers else {})
        info.update(msg=str(e), status=e.code, url=e.geturl() or P['url'])
        return e, info
    except urllib.error.URLError as e:
        info['msg'] = 'Request failed: %s' % e
        return None, info
    except (OSError, ValueError, ssl.SSLError) as e:
        info['msg'] = 'Request failed: %s' % e
        return None, info
    info.update({k.lower(): v for k, v in r.headers.items()})
    info.update(msg='OK (%s bytes)' % r.headers.get('Content-Length', 'unknown'), url=r.geturl(), status=r.status)
    return r, info

def digests(algorithm):
    hs = {'sha1': hashlib.sha1(), 'md5': hashlib.md5()}
    if algorithm and algorithm not in hs:
        hs[algorithm] = hashlib.new(algorithm)
    return hs

def file_digests(path, algorithm):
    hs = digests(algorithm)
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(65536), b''):
            for h in hs.values():
                h.update(chunk)
    return {k: h.hexdigest() for k, h in hs.items()}

def stream(r, algorithm, sink=None):
    hs = digests(algorithm)
    size = 0
    while True:
        chunk = r.read(65536)
        if not chunk:
            break
        size += len(chunk)
        for h in hs.values():
            h.update(chunk)
        if sink is not None:
            sink.write(chunk)
    return {k: h.hexdigest() for k, h in hs.items()}, size

def ids():
    uid = gid = None
    if P.get('owner') is not None:
        o = str(P['owner'])
        try:
            uid = int(o) if o.isdigit() else pwd.getpwnam(o).pw_uid
        except KeyError:
            fail("user '%s' does not exist on the host" % o)
    if P.get('group') is not None:
        g = str(P['group'])
        try:
            gid = int(g) if g.isdigit() else grp.getgrnam(g).gr_gid
        except KeyError:
            fail("group '%s' does not exist on the host" % g)
    return uid, gid

def attrs_differ(path):
    s = os.stat(path)
    uid, gid = ids()
    mode = P.get('mode')
    return (mode is not None and (s.st_mode & 0o7777) != mode) or (uid is not None and s.st_uid != uid) or (gid is not None and s.st_gid != gid)

def set_attrs(path):
    uid, gid = ids()
    if uid is not None or gid is not None:
        os.chown(path, -1 if uid is None else uid, -1 if gid is None else gid)
    if P.get('mode') is not None:
        os.chmod(path, P['mode'])

def path_info(path):
    try:
        s = os.stat(path)
    except OSError:
        return {}
    def name(f, i):
        try:
            return f(i)
        except KeyError:
            return i
    return {'uid': s.st_uid, 'gid': s.st_gid, 'owner': name(lambda i: pwd.getpwuid(i).pw_name, s.st_uid),
            'group': name(lambda i: grp.getgrgid(i).gr_name, s.st_gid), 'mode': '%04o' % (s.st_mode & 0o7777),
            'state': 'directory' if os.path.isdir(path) else 'file', 'size': s.st_size}

def filename_from(info):
    m = re.match('attachment; ?filename="?([^"]+)', info.get('content-disposition', ''))
    if m:
        return os.path.basename(m.group(1))
    name = os.path.basename(urllib.parse.urlsplit(info['url'])[2])
    return name or 'index.html'

def backup_name(dest):
    return '%s.%s.%s~' % (dest, os.getpid(), time.strftime('%Y-%m-%d@%H:%M:%S', time.localtime()))

def place(tmp, dest, existed):
    """Gives the temp file the old file's owner and mode (a new file the umask's), then renames it over dest."""
    if existed:
        s = os.stat(dest)
        try:
            os.chown(tmp, s.st_uid, s.st_gid)
        except PermissionError:
            pass
        os.chmod(tmp, s.st_mode & 0o7777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    os.rename(tmp, dest)

def done(res, dest, apply):
    """An existing file whose bytes stay: only its attributes may change."""
    res['changed'] = attrs_differ(dest)
    if apply and res['changed']:
        set_attrs(dest)
    res['info'] = path_info(dest)
    out(res)

def get_url(apply):
    dest = P['dest']
    algorithm, want = P.get('checksum_algorithm'), P.get('checksum')
    if algorithm and algorithm not in hashlib.algorithms_available:
        fail("unsupported checksum algorithm '%s'" % algorithm)
    dest_is_dir = os.path.isdir(dest)
    res = {'dest': dest, 'url': P['url'], 'checksum_dest': None, 'checksum_src': None}
    extra = {}
    force = P.get('force', False)
    if not dest_is_dir and os.path.exists(dest):
        if not force and want:
            if file_digests(dest, algorithm)[algorithm] == want:
                res.update(outcome='exists', msg='file already exists')
                done(res, dest, apply)
            force = True
        if not force:
            extra['If-Modified-Since'] = email.utils.formatdate(os.path.getmtime(dest), usegmt=True)
    r, info = request('GET', extra)
    res['status_code'] = info['status']
    if info['status'] == 304:
        res.update(outcome='not_modified', msg=info.get('msg', ''))
        done(res, dest, apply)
    if info['status'] == -1:
        fail(info['msg'], **res)
    if info['status'] != 200:
        fail('Request failed', response=info.get('msg', ''), **res)
    if dest_is_dir:
        dest = os.path.join(dest, filename_from(info))
        res['dest'] = dest
    existed = os.path.exists(dest)
    if existed:
        if os.path.isdir(dest):
            fail('%s is a directory' % dest, **res)
        res['checksum_dest'] = file_digests(dest, None)['sha1']
    elif not os.path.isdir(os.path.dirname(dest) or '.'):
        fail('Destination %s does not exist' % (os.path.dirname(dest)), **res)
    res['msg'] = info.get('msg', '')
    if not apply:
        hs, size = stream(r, algorithm)
        res.update(checksum_src=hs['sha1'], size_src=size, digest=hs.get(algorithm))
        if want and hs[algorithm] != want:
            fail('The checksum for %s did not match %s; it was %s.' % (dest, want, hs[algorithm]), **res)
        if res['checksum_src'] == res['checksum_dest']:
            res.update(outcome='same', md5sum=hs['md5'])
            done(res, dest, False)
        res.update(outcome='download', changed=True)
        out(res)
    fd, tmp = tempfile.mkstemp(prefix='.%s.tsplay-' % os.path.basename(dest), dir=os.path.dirname(dest) or '.')
    try:
        with os.fdopen(fd, 'wb') as f:
            hs, size = stream(r, algorithm, f)
            f.flush()
            os.fsync(f.fileno())
        res['checksum_src'] = hs['sha1']
        if want and hs[algorithm] != want:
            fail('The checksum for %s did not match %s; it was %s.' % (dest, want, hs[algorithm]), **res)
        changed = res['checksum_src'] != res['checksum_dest']
        if changed:
            if P.get('backup') and existed:
                res['backup_file'] = backup_name(dest)
                os.link(dest, res['backup_file'])
            place(tmp, dest, existed)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    if attrs_differ(dest):
        set_attrs(dest)
        changed = True
    res.update(changed=changed, md5sum=file_digests(dest, None)['md5'], info=path_info(dest))
    out(res)

def uri():
    dest = P.get('dest')
    r, info = request(P.get('method', 'GET'))
    res = dict(info)
    res['redirected'] = info['url'] != P['url']
    res['status'] = int(info['status'])
    content = b''
    if r is not None and dest is not None and res['status'] in P['status_code'] and res['status'] != 304:
        if os.path.isdir(dest):
            dest = os.path.join(dest, filename_from(info) if 'content-disposition' in info else 'index.html')
        existed = os.path.exists(dest)
        fd, tmp = tempfile.mkstemp(prefix='.%s.tsplay-' % os.path.basename(dest), dir=os.path.dirname(dest) or '.')
        try:
            with os.fdopen(fd, 'wb') as f:
                stream(r, None, f)
                f.flush()
                os.fsync(f.fileno())
            place(tmp, dest, existed)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        set_attrs(dest)
        res['path'] = dest
        res['changed'] = True
    elif r is not None:
        content = r.read(MAX_CONTENT + 1)
        if len(content) > MAX_CONTENT:
            fail('the response body is over %d bytes: give dest to write it to a file' % MAX_CONTENT, **res)
        if dest is not None:
            res['path'] = dest
    res['content_b64'] = base64.b64encode(content).decode()
    out(res)

try:
    op = P['op']
    if op == 'get_url_plan':
        get_url(False)
    elif op == 'get_url_apply':
        get_url(True)
    else:
        uri()
except OSError as e:
    fail('%s: %s' % (e.filename or P.get('dest') or P['url'], e.strerror or e))
`;
