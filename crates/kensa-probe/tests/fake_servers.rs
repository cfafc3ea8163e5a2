//! Scripted servers on 127.0.0.1: each test plays one server's side of a conversation
//! (a 1996 sendmail, a wu-ftpd 2.4, servers that hang, flood, break off or paint the
//! terminal) and checks what `kensa probe` makes of it — and what it sent.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{DiagnosticLevel, Finding, Severity};
use kensa_probe::{Options, Probe, target};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The server side of one connection: send lines, read the client's commands.
struct Peer {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    heard: Vec<String>,
}

impl Peer {
    fn say(&mut self, text: &str) {
        let _ = self.writer.write_all(text.as_bytes());
    }

    /// The next command, or an empty string when the client closed.
    fn hear(&mut self) -> String {
        let mut line = String::new();
        let _ = self.reader.read_line(&mut line);
        let line = line.trim_end().to_string();
        self.heard.push(line.clone());
        line
    }
}

/// A server that accepts one connection and runs `script` on it; the handle gives back
/// every command the client sent.
fn serve(script: impl FnOnce(&mut Peer) + Send + 'static) -> (u16, JoinHandle<Vec<String>>) {
    serve_at("127.0.0.1", script)
}

/// [`serve`] on another loopback address (127.0.0.2, ...: other "hosts").
fn serve_at(
    ip: &str,
    script: impl FnOnce(&mut Peer) + Send + 'static,
) -> (u16, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut peer = Peer {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
            heard: Vec::new(),
        };
        script(&mut peer);
        peer.heard
    });
    (port, handle)
}

fn options() -> Options {
    let mut options = Options::default();
    options.limits.connect_timeout = Duration::from_secs(2);
    options.limits.reply_timeout = Duration::from_secs(2);
    options
}

fn probe(target: &str, options: &Options) -> Probe {
    kensa_probe::probe(vec![target::parse(target).unwrap()], options)
}

fn codes(probe: &Probe) -> Vec<&'static str> {
    probe.findings.iter().map(|f| f.code).collect()
}

fn only<'a>(probe: &'a Probe, code: &str) -> &'a Finding {
    let found: Vec<&Finding> = probe.findings.iter().filter(|f| f.code == code).collect();
    assert_eq!(found.len(), 1, "{code} in {:#?}", probe.findings);
    found[0]
}

const SENDMAIL_1996: &str =
    "220 mailhub.example.ac.jp Sendmail 8.6.12/8.6.9 ready at Tue, 31 Dec 1996 23:59:01 +0900\r\n";

#[test]
fn sendmail_8_6_12_of_1996() {
    let (port, server) = serve(|peer| {
        peer.say(SENDMAIL_1996);
        if peer.hear().starts_with("EHLO ") {
            peer.say(
                "250-mailhub.example.ac.jp Hello localhost [127.0.0.1], pleased to meet you\r\n\
                 250-EXPN\r\n250-SIZE\r\n250 HELP\r\n",
            );
        }
        if peer.hear() == "QUIT" {
            peer.say("221 mailhub.example.ac.jp closing connection\r\n");
        }
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    let heard = server.join().unwrap();
    assert_eq!(
        heard,
        ["EHLO [127.0.0.1]", "QUIT"],
        "no HELP: the greeting said it"
    );
    assert_eq!(codes(&result), ["PR001"], "{:#?}", result.diagnostics);
    let finding = only(&result, "PR001");
    assert!(
        finding
            .title
            .starts_with("sendmail 8.6.12 has known holes (CERT CA-96.25, CVE-2002-1337"),
        "{}",
        finding.title
    );
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.host, "127.0.0.1");
    assert_eq!(finding.subject.address.as_deref(), Some("127.0.0.1"));
    assert_eq!(finding.subject.port, Some(port));
    assert_eq!(finding.evidence[0].file, format!("smtp://127.0.0.1:{port}"));
    assert_eq!(finding.evidence[0].line, 1);
    assert_eq!(finding.evidence[0].text, SENDMAIL_1996.trim_end());
    assert!(finding.advice.contains("fixed in 8.8.4"));
    assert!(
        finding
            .title_ja
            .starts_with("sendmail 8.6.12 には既知の脆弱性がある（CERT CA-96.25、CVE-2002-1337"),
        "{}",
        finding.title_ja
    );
    // The advice is the rule's, then the advisories, in Japanese too.
    assert!(
        finding
            .advice_ja
            .contains("\n- CERT CA-96.25（< 8.8.4、8.8.4 で修正）: "),
        "{}",
        finding.advice_ja
    );
    assert_eq!(result.hosts, ["127.0.0.1"]);
    assert!(result.diagnostics.is_empty(), "{:#?}", result.diagnostics);
}

#[test]
fn sendmail_5_without_ehlo_falls_back_to_helo() {
    let (port, server) = serve(|peer| {
        peer.say("220 sun1.example.ac.jp Sendmail 5.65c+Sun/SMI-4.1 ready at Tue, 31 Dec 96 23:59:01 JST\r\n");
        peer.hear();
        peer.say("500 Command unrecognized\r\n");
        peer.hear();
        peer.say("250 sun1.example.ac.jp Hello localhost, pleased to meet you\r\n");
        peer.hear();
        peer.say("221 sun1.example.ac.jp closing connection\r\n");
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    let heard = server.join().unwrap();
    assert_eq!(heard, ["EHLO [127.0.0.1]", "HELO [127.0.0.1]", "QUIT"]);
    let finding = only(&result, "PR001");
    assert!(
        finding
            .title
            .starts_with("sendmail 5.65c+Sun has known holes (JPCERT-E-INF-97-0001"),
        "{}",
        finding.title
    );
}

#[test]
fn hidden_version_is_asked_with_help_and_else_unknown() {
    let (port, server) = serve(|peer| {
        peer.say("220 mx.example.ac.jp ESMTP Sendmail ready\r\n");
        peer.hear();
        peer.say("250 mx.example.ac.jp Hello\r\n");
        if peer.hear() == "HELP" {
            peer.say("214-2.0.0 This is sendmail version 8.12.7\r\n214-2.0.0 Topics:\r\n214 2.0.0 End of HELP info\r\n");
        }
        peer.hear();
        peer.say("221 bye\r\n");
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    assert_eq!(server.join().unwrap()[1], "HELP");
    let finding = only(&result, "PR001");
    assert!(
        finding
            .title
            .starts_with("sendmail 8.12.7 has known holes (CVE-2002-1337")
    );
    assert_eq!(finding.evidence.len(), 2);
    assert_eq!(
        finding.evidence[1].text,
        "HELP: 214-2.0.0 This is sendmail version 8.12.7"
    );

    let (port, server) = serve(|peer| {
        peer.say("220 mx.example.ac.jp ESMTP ready\r\n");
        peer.hear();
        peer.say("250 mx.example.ac.jp\r\n");
        peer.hear();
        peer.say("502 5.5.1 HELP not implemented\r\n");
        peer.hear();
        peer.say("221 bye\r\n");
    });
    let result = probe(&format!("127.0.0.1:{port}"), &options());
    server.join().unwrap();
    let finding = only(&result, "PR005");
    assert_eq!(
        finding.title,
        "mail server does not name its product or version: not judged"
    );
    assert_eq!(
        finding.title_ja,
        "メールサーバが製品名も版も名乗らないため、判定していない"
    );
    assert_eq!(finding.severity, Severity::Low, "unknown is never safe");
}

const WU_24: &str =
    "220 ftp.example.ac.jp FTP server (Version wu-2.4(1) Fri Apr 15 14:14:30 CDT 1994) ready.\r\n";

#[test]
fn wu_ftpd_2_4_without_anonymous() {
    let (port, server) = serve(|peer| {
        peer.say(WU_24);
        loop {
            let command = peer.hear();
            match command.as_str() {
                "SYST" => peer.say("215 UNIX Type: L8 Version: SUNOS\r\n"),
                "USER anonymous" => peer.say("530 User anonymous unknown.\r\n"),
                "QUIT" => {
                    peer.say("221 Goodbye.\r\n");
                    break;
                }
                _ => break,
            }
        }
    });
    let result = probe(&format!("ftp://127.0.0.1:{port}"), &options());
    let heard = server.join().unwrap();
    assert_eq!(heard, ["SYST", "USER anonymous", "QUIT"]);
    assert_eq!(codes(&result), ["PR002"]);
    let finding = only(&result, "PR002");
    assert_eq!(
        finding.title,
        "wu-ftpd 2.4(1) has known holes (CVE-1999-0080 (CERT CA-95:16), CVE-2000-0573 (CERT CA-2000-13))"
    );
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.evidence[0].text, WU_24.trim_end());
    assert_eq!(
        finding.evidence[1].text,
        "SYST: 215 UNIX Type: L8 Version: SUNOS"
    );
}

const DELE_OK: &str = "250 DELE command successful.\r\n";
const DELE_REFUSED: &str = "553 Permission denied on server. (Delete)\r\n";

/// A wu-ftpd 2.6.0 with anonymous FTP, a listing with a writable `incoming`, whose
/// passive replies name a foreign address (kensa must connect to the server itself).
/// `dele` is the reply to DELE; empty: hang up instead.
fn anonymous_wu_ftpd(peer: &mut Peer, dele: &str) {
    peer.say("220-Welcome to the archive\r\n220-Please log in as anonymous.\r\n220 ftp FTP server (Version wu-2.6.0(1) Mon Feb 28 10:30:36 EST 2000) ready.\r\n");
    let mut data: Option<TcpListener> = None;
    loop {
        let command = peer.hear();
        let (verb, arg) = command.split_once(' ').unwrap_or((&command, ""));
        match verb {
            "SYST" => peer.say("215 UNIX Type: L8\r\n"),
            "USER" => {
                peer.say("331 Guest login ok, send your complete e-mail address as password.\r\n")
            }
            "PASS" => peer.say("230 Guest login ok, access restrictions apply.\r\n"),
            "EPSV" => peer.say("500 'EPSV': command not understood.\r\n"),
            "TYPE" => peer.say("200 Type set to I.\r\n"),
            "PASV" => {
                let listener = TcpListener::bind("127.0.0.1:0").unwrap();
                let p = listener.local_addr().unwrap().port();
                peer.say(&format!(
                    "227 Entering Passive Mode (10,9,8,7,{},{})\r\n",
                    p / 256,
                    p % 256
                ));
                data = Some(listener);
            }
            "LIST" => {
                let (mut stream, _) = data.take().unwrap().accept().unwrap();
                peer.say("150 Opening ASCII mode data connection for /bin/ls.\r\n");
                stream
                    .write_all(
                        b"total 4\r\ndr-xr-xr-x 2 0 0 512 Dec 31 1996 bin\r\n\
                          dr-xr-xr-x 2 0 0 512 Dec 31 1996 etc\r\n\
                          drwxrwxrwx 2 0 0 512 Dec 31 1996 incoming\r\n\
                          -rw-r--r-- 1 0 0 80 Dec 31 1996 README\r\n",
                    )
                    .unwrap();
                drop(stream);
                peer.say("226 Transfer complete.\r\n");
            }
            "STOR" => {
                let (mut stream, _) = data.take().unwrap().accept().unwrap();
                if arg.starts_with("incoming/") {
                    peer.say("150 Opening BINARY mode data connection.\r\n");
                    let mut sink = Vec::new();
                    std::io::Read::read_to_end(&mut stream, &mut sink).unwrap();
                    assert!(sink.is_empty(), "the test file is empty");
                    peer.say("226 Transfer complete.\r\n");
                } else {
                    peer.say("553 Permission denied on server. (Upload)\r\n");
                }
            }
            "DELE" if dele.is_empty() => break,
            "DELE" => peer.say(dele),
            "QUIT" => {
                peer.say("221 Goodbye.\r\n");
                break;
            }
            _ => {
                peer.say("500 command not understood.\r\n");
                if command.is_empty() {
                    break;
                }
            }
        }
    }
}

#[test]
fn anonymous_login_listing_and_no_write_test_without_the_flag() {
    let (port, server) = serve(|peer| anonymous_wu_ftpd(peer, DELE_OK));
    let result = probe(&format!("ftp://127.0.0.1:{port}"), &options());
    let heard = server.join().unwrap();
    assert_eq!(
        heard,
        [
            "SYST",
            "USER anonymous",
            "PASS kensa-probe@example.invalid",
            "EPSV",
            "PASV",
            "LIST",
            "QUIT"
        ]
    );
    assert!(
        !heard
            .iter()
            .any(|c| c.starts_with("STOR") || c.starts_with("DELE")),
        "never a write without --write-test"
    );
    let login = only(&result, "PR003");
    assert_eq!(
        login.title,
        "Anonymous FTP login accepted; its directory lists 4 entries (3 directories)"
    );
    assert_eq!(
        login.title_ja,
        "匿名 FTP でログインできる。ログイン先のディレクトリにエントリが 4 個ある（うちディレクトリ 3 個）"
    );
    assert_eq!(
        login.evidence[0].text,
        "USER anonymous: 230 Guest login ok, access restrictions apply."
    );
    assert_eq!(login.evidence[0].line, 6, "the greeting had three lines");
    assert_eq!(codes(&result), ["PR003", "PR002"]);
    assert!(
        only(&result, "PR002")
            .title
            .starts_with("wu-ftpd 2.6.0(1) has known holes")
    );
}

#[test]
fn write_test_stores_deletes_and_names_what_it_could_not_delete() {
    let mut options = options();
    options.write_test = true;
    let (port, server) = serve(|peer| anonymous_wu_ftpd(peer, DELE_REFUSED));
    let result = probe(&format!("ftp://127.0.0.1:{port}"), &options);
    let heard = server.join().unwrap();
    let stores: Vec<&String> = heard.iter().filter(|c| c.starts_with("STOR ")).collect();
    assert_eq!(
        stores.len(),
        4,
        "the root and bin, etc, incoming: {heard:?}"
    );
    assert!(stores[0].starts_with("STOR kensa-probe-"));
    assert!(stores[3].starts_with("STOR incoming/kensa-probe-"));
    let deletes: Vec<&String> = heard.iter().filter(|c| c.starts_with("DELE ")).collect();
    assert_eq!(deletes.len(), 1, "only what was stored is deleted");
    assert_eq!(deletes[0][5..], stores[3][5..]);
    let write = only(&result, "PR004");
    let left = &stores[3][5..];
    assert_eq!(
        write.title,
        format!(
            "Anonymous FTP users can store files (in 1 directory); kensa could not delete: {left}"
        )
    );
    assert_eq!(
        write.title_ja,
        format!(
            "匿名 FTP ユーザがファイルを置ける（ディレクトリ 1 個で）。kensa が削除できなかったもの: {left}"
        )
    );
    assert_eq!(write.severity, Severity::High);
    assert!(write.evidence[0].text.ends_with(": 226 Transfer complete."));
    assert!(
        write.evidence[1]
            .text
            .starts_with("DELE incoming/kensa-probe-")
    );

    // With deletion allowed, the finding says the files are gone.
    let (port, server) = serve(|peer| anonymous_wu_ftpd(peer, DELE_OK));
    let result = probe(&format!("ftp://127.0.0.1:{port}"), &options);
    server.join().unwrap();
    assert_eq!(
        only(&result, "PR004").title,
        "Anonymous FTP users can store files (in 1 directory; kensa's test files were deleted)"
    );
    assert_eq!(
        only(&result, "PR004").title_ja,
        "匿名 FTP ユーザがファイルを置ける（ディレクトリ 1 個で。kensa のテスト用ファイルは削除済み）"
    );
}

#[test]
fn a_write_test_that_breaks_off_still_reports_and_warns() {
    let mut options = options();
    options.write_test = true;
    let (port, server) = serve(|peer| anonymous_wu_ftpd(peer, ""));
    let result = probe(&format!("ftp://127.0.0.1:{port}"), &options);
    let heard = server.join().unwrap();
    let stored = heard
        .iter()
        .find(|c| c.starts_with("STOR incoming/"))
        .unwrap();
    let write = only(&result, "PR004");
    assert!(
        write
            .title
            .starts_with("Anonymous FTP users can store files (in 1 directory")
    );
    let messages: Vec<&str> = result
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.contains(&format!(
            "write test: the conversation broke off after STOR {}: that file may be left on the server",
            &stored[5..]
        )
        .as_str()),
        "{messages:?}"
    );
    let ja = result
        .diagnostics
        .iter()
        .find(|d| d.message.starts_with("write test: "))
        .unwrap();
    assert_eq!(
        ja.message_ja,
        format!(
            "書き込みテスト: STOR {} の後でやり取りが途切れました。そのファイルがサーバに残っているかもしれません",
            &stored[5..]
        )
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let (port, server) = serve(|peer| {
        // Accept, say nothing, wait for the client to give up.
        peer.hear();
    });
    let mut options = options();
    options.limits.reply_timeout = Duration::from_millis(300);
    let started = Instant::now();
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options);
    assert!(started.elapsed() < Duration::from_secs(5));
    server.join().unwrap();
    assert!(result.findings.is_empty());
    assert_eq!(result.diagnostics.len(), 1);
    let diagnostic = &result.diagnostics[0];
    assert_eq!(diagnostic.level, DiagnosticLevel::Warning);
    assert_eq!(diagnostic.file, format!("smtp://127.0.0.1:{port}"));
    assert_eq!(
        diagnostic.message,
        "greeting: no complete reply before the timeout"
    );
    assert_eq!(
        diagnostic.message_ja,
        "挨拶文: 時間内に応答が最後まで届きませんでした"
    );
    assert!(result.hosts.is_empty());
}

#[test]
fn a_trickling_server_ends_at_the_reply_deadline() {
    let (port, server) = serve(|peer| {
        for b in b"220 slow server" {
            peer.say(std::str::from_utf8(&[*b]).unwrap());
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut options = options();
    options.limits.reply_timeout = Duration::from_millis(400);
    let started = Instant::now();
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options);
    assert!(started.elapsed() < Duration::from_millis(1200));
    server.join().unwrap();
    assert!(result.diagnostics[0].message.contains("timeout"));
}

#[test]
fn a_server_slow_on_every_reply_ends_at_the_conversation_deadline() {
    let (port, server) = serve(|peer| {
        // Each reply inside the reply timeout, the conversation not inside its own.
        let pause = |ms| std::thread::sleep(Duration::from_millis(ms));
        pause(100);
        peer.say("220 mx.example.ac.jp ESMTP Sendmail ready\r\n");
        peer.hear();
        pause(100);
        peer.say("250 ok\r\n");
        peer.hear();
        pause(1200);
        peer.say("214 no help\r\n");
        peer.hear();
    });
    let mut options = options();
    options.limits.reply_timeout = Duration::from_millis(1500);
    options.limits.session_timeout = Duration::from_millis(700);
    let started = Instant::now();
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options);
    assert!(started.elapsed() < Duration::from_millis(1200));
    server.join().unwrap();
    assert_eq!(codes(&result), ["PR005"], "the greeting is still judged");
    let messages: Vec<&str> = result
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        ["HELP: the conversation took longer than kensa allows one server"]
    );
    assert_eq!(
        result.diagnostics[0].message_ja,
        "HELP: 1 台のサーバとのやり取りが kensa の許す時間を超えました"
    );
}

#[test]
fn a_one_megabyte_line_is_cut_not_kept() {
    let (port, server) = serve(|peer| {
        let mut line = b"220 ".to_vec();
        line.resize(1 << 20, b'A');
        line.extend_from_slice(b"\r\n");
        let _ = peer.writer.write_all(&line);
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    server.join().unwrap();
    assert!(result.findings.is_empty());
    assert_eq!(
        result.diagnostics[0].message,
        "greeting: reply longer than kensa reads (65536 bytes or more): conversation abandoned"
    );
    assert_eq!(
        result.diagnostics[0].message_ja,
        "挨拶文: 応答が kensa の読む長さを超えたため（65536 バイト以上）、やり取りを打ち切りました"
    );

    // A long line within the reply limit is kept cut at the line limit.
    let (port, server) = serve(|peer| {
        let mut line = b"220 ".to_vec();
        line.resize(40_000, b'B');
        line.extend_from_slice(b" Sendmail 8.6.12/8.6.9\r\n");
        let _ = peer.writer.write_all(&line);
        peer.hear();
        peer.say("250 ok\r\n");
        peer.hear();
        peer.say("502 no\r\n");
        peer.hear();
        peer.say("221 bye\r\n");
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    server.join().unwrap();
    let finding = only(&result, "PR005");
    assert!(finding.evidence[0].text.len() <= 1024 + 4);
    assert!(finding.evidence[0].text.ends_with(" …"));
}

#[test]
fn a_server_that_closes_mid_reply() {
    let (port, server) = serve(|peer| {
        peer.say("220-mailhub.example.ac.jp Sendmail 8.6.12/8.6.9 ready\r\n220-and then");
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    server.join().unwrap();
    assert!(result.findings.is_empty());
    assert_eq!(
        result.diagnostics[0].message,
        "greeting: the server closed the connection in the middle of a reply"
    );

    // Closed in the middle of the EHLO reply: the greeting is still judged.
    let (port, server) = serve(|peer| {
        peer.say(SENDMAIL_1996);
        peer.hear();
        peer.say("250-mailhub Hello\r\n250-EXPN\r\n");
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    server.join().unwrap();
    assert_eq!(codes(&result), ["PR001"]);
    assert_eq!(
        result.diagnostics[0].message,
        "EHLO: the server closed the connection in the middle of a reply"
    );
    assert_eq!(
        result.diagnostics[0].message_ja,
        "EHLO: サーバが応答の途中で接続を切りました"
    );
}

#[test]
fn ansi_escapes_in_a_banner_never_reach_the_terminal() {
    let banner =
        "220 \u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mmail Sendmail 8.6.12/8.6.9 ready\u{1b}[0m\r\n";
    let (port, server) = serve(move |peer| {
        peer.say(banner);
        peer.hear();
        peer.say("250 \u{1b}[1Amail\r\n");
        peer.hear();
        peer.say("221 bye\r\n");
    });
    let result = probe(&format!("smtp://127.0.0.1:{port}"), &options());
    server.join().unwrap();
    let finding = only(&result, "PR001");
    assert!(finding.title.starts_with("sendmail 8.6.12 has known holes"));
    // The evidence keeps the server's bytes; the writers escape them.
    assert!(finding.evidence[0].text.contains('\u{1b}'));
    let report = kensa_core::Report::new(
        kensa_core::KENSA_VERSION,
        kensa_core::host_reports(result.findings, &result.hosts),
        result.diagnostics,
    );
    let mut text = Vec::new();
    let options = kensa_report::TextOptions {
        verbose: true,
        ..Default::default()
    };
    kensa_report::write_report(&report, kensa_report::Format::Text, &options, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("\\x1b]0;owned"), "{text}");
    assert!(
        text.contains(&format!("address:    127.0.0.1:{port}")),
        "{text}"
    );
}

#[test]
fn refused_and_unresolvable() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let result = kensa_probe::probe(
        vec![
            target::parse(&format!("smtp://127.0.0.1:{port}")).unwrap(),
            target::parse("no-such-host.invalid").unwrap(),
        ],
        &options(),
    );
    assert!(result.findings.is_empty());
    assert!(result.hosts.is_empty());
    assert_eq!(result.diagnostics.len(), 2);
    assert!(
        result.diagnostics[0]
            .message
            .starts_with("cannot connect: "),
        "{:?}",
        result.diagnostics[0]
    );
    assert!(
        result.diagnostics[0]
            .message_ja
            .starts_with("接続できません: "),
        "{:?}",
        result.diagnostics[0]
    );
    assert_eq!(result.diagnostics[1].file, "no-such-host.invalid");
    assert!(result.diagnostics[1].message.starts_with("cannot resolve"));
    assert!(
        result.diagnostics[1]
            .message_ja
            .starts_with("名前を解決できません: "),
        "{:?}",
        result.diagnostics[1]
    );
}

#[test]
fn many_hosts_in_parallel_keep_their_order() {
    let mut servers = Vec::new();
    let mut targets = Vec::new();
    for i in 0..6 {
        let ip = format!("127.0.0.{}", i + 2);
        let (port, server) = serve_at(&ip, move |peer| {
            std::thread::sleep(Duration::from_millis(50 * (6 - i)));
            peer.say(&format!("220 host{i} ESMTP Exim 4.9{i} ready\r\n"));
            peer.hear();
            peer.say("250 ok\r\n");
            peer.hear();
            peer.say("221 bye\r\n");
        });
        servers.push(server);
        targets.push(target::parse(&format!("smtp://{ip}:{port}")).unwrap());
    }
    let mut options = options();
    options.parallel = 3;
    let ports: Vec<u16> = targets.iter().map(|t| t.endpoints[0].port).collect();
    let result = kensa_probe::probe(targets, &options);
    for server in servers {
        server.join().unwrap();
    }
    let seen: Vec<(String, Option<u16>, String)> = result
        .findings
        .iter()
        .map(|f| (f.host.clone(), f.subject.port, f.title.clone()))
        .collect();
    let expected: Vec<(String, Option<u16>, String)> = ports
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            (
                format!("127.0.0.{}", i + 2),
                Some(p),
                format!("exim 4.9{i}: not in kensa's advisories data: not judged"),
            )
        })
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(
        result.findings[0].title_ja,
        "exim 4.90: kensa の脆弱性データにないため、判定していない"
    );
    assert_eq!(result.hosts.len(), 6);
}

#[test]
fn a_host_name_is_resolved_once_and_the_address_said() {
    use std::net::ToSocketAddrs;
    // Whatever localhost is here (127.0.0.1 or ::1), the server listens there.
    let Some(first) = ("localhost", 0)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
    else {
        eprintln!("skipped: localhost does not resolve");
        return;
    };
    let ip = first.ip().to_string();
    let (port, server) = serve_at(&ip, |peer| {
        peer.say(SENDMAIL_1996);
        peer.hear();
        peer.say("250 ok\r\n");
        peer.hear();
        peer.say("221 bye\r\n");
    });
    let result = probe(&format!("localhost:{port}"), &options());
    server.join().unwrap();
    let finding = only(&result, "PR001");
    assert_eq!(finding.host, "localhost");
    assert_eq!(finding.subject.address.as_deref(), Some(ip.as_str()));
    assert_eq!(result.hosts, ["localhost"]);
    let note = &result.diagnostics[0];
    assert_eq!(note.level, DiagnosticLevel::Note);
    assert_eq!(note.file, "localhost");
    assert!(
        note.message
            .starts_with(&format!("resolved to {ip} (the first of ")),
        "{}",
        note.message
    );
    assert!(
        note.message_ja
            .starts_with(&format!("{ip} に解決しました（アドレス ")),
        "{}",
        note.message_ja
    );
}

#[test]
fn ipv6_targets() {
    let Ok(listener) = TcpListener::bind("[::1]:0") else {
        eprintln!("skipped: no IPv6 loopback");
        return;
    };
    drop(listener);
    let (port, server) = serve_at("::1", |peer| {
        peer.say("220 (vsFTPd 2.3.4)\r\n");
        peer.hear();
        peer.say("215 UNIX Type: L8\r\n");
        peer.hear();
        peer.say("530 no anonymous\r\n");
        peer.hear();
        peer.say("221 bye\r\n");
    });
    let result = probe(&format!("[::1]:{port}"), &options());
    server.join().unwrap();
    let finding = only(&result, "PR002");
    assert_eq!(
        finding.title,
        "vsftpd 2.3.4 has known holes (CVE-2011-2523)"
    );
    assert_eq!(finding.evidence[0].file, format!("ftp://[::1]:{port}"));
    assert_eq!(finding.subject.address.as_deref(), Some("::1"));
}

/// An anonymous FTP server whose passive port is `data_port` and whose LIST reply is
/// `list` (`None`: a listing is sent).
fn anonymous_list(peer: &mut Peer, data: Option<TcpListener>, data_port: u16, list: &str) {
    peer.say("220 ftp FTP server (Version wu-2.6.2(1)) ready.\r\n");
    loop {
        let command = peer.hear();
        match command.split(' ').next().unwrap_or_default() {
            "SYST" => peer.say("215 UNIX Type: L8\r\n"),
            "USER" => peer.say("230 Guest login ok.\r\n"),
            "EPSV" => peer.say(&format!(
                "229 Entering Extended Passive Mode (|||{data_port}|)\r\n"
            )),
            "LIST" => {
                // Accept the data connection (if any), then refuse.
                let _held = data.as_ref().map(|l| l.accept());
                peer.say(list);
            }
            "QUIT" => {
                peer.say("221 Goodbye.\r\n");
                break;
            }
            "" => break,
            _ => peer.say("500 no\r\n"),
        }
    }
}

#[test]
fn a_refused_listing_and_a_dead_data_port() {
    let data = TcpListener::bind("127.0.0.1:0").unwrap();
    let data_port = data.local_addr().unwrap().port();
    let (port, server) = serve(move |peer| {
        anonymous_list(peer, Some(data), data_port, "550 Permission denied.\r\n")
    });
    let result = probe(&format!("ftp://127.0.0.1:{port}"), &options());
    server.join().unwrap();
    let login = only(&result, "PR003");
    assert_eq!(
        login.title,
        "Anonymous FTP login accepted; listing its directory was refused"
    );
    assert_eq!(login.evidence[1].text, "LIST: 550 Permission denied.");
    assert_eq!(
        login.title_ja,
        "匿名 FTP でログインできる。ディレクトリの一覧は拒否された"
    );
    assert!(result.diagnostics.is_empty(), "{:#?}", result.diagnostics);

    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    let (port, server) =
        serve(move |peer| anonymous_list(peer, None, dead_port, "425 no data\r\n"));
    let result = probe(&format!("ftp://127.0.0.1:{port}"), &options());
    server.join().unwrap();
    assert_eq!(
        only(&result, "PR003").title,
        "Anonymous FTP login accepted; its directory could not be listed"
    );
    assert!(
        result.diagnostics[0]
            .message
            .starts_with(&format!("LIST: data connection to 127.0.0.1:{dead_port}: ")),
        "{:#?}",
        result.diagnostics
    );
    assert!(
        result.diagnostics[0]
            .message_ja
            .starts_with(&format!("LIST: 127.0.0.1:{dead_port} へのデータ接続: ")),
        "{:#?}",
        result.diagnostics
    );
}
