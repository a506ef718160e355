"""Lines of program code say no language (langid.code)."""

import pytest

from aligner.langid.code import is_code
from aligner.langid.neutral import in_no_language

CODE = [
    # highlighted SQL of mozilla/readability's toc-missing test page (Apache-2.0)
    "SELECT avg(n)",
    "avg(n) - stddev(n) AS lower_bound,",
    "AVG(entries) OVER status_window as mean_entries,",
    # this repository's own code
    "return self.encoder.encode(texts)",
    "const total = items.length;",
    "print('hello world')",
    "}",
    "x = len(s)",
    "return fetch(url)",
]
PROSE = [
    # Debian Administrator's Handbook (GPL-2+ or CC BY-SA 3.0) and captions
    "Installing mod_ssl on Apache",
    "La ejecución de strings /mnt/tmp/bd devuelve, entre otras cadenas,",
    "The function main() starts the program",
    "Utilisez os.path.join() pour construire les chemins",
    "Smith(left) and Jones(right) at the summit",
    "Windows (XP) desktop",
    "E = mc2 explained for children in ten minutes",
    "東京(とうきょう)の夜景",
    # Debian Reference (GPL-2+): Chinese prose has no spaces to count words by, and a manual
    # page reference is no call
    "用 iconv(1) 来转换普通文本文件的编码。",
    "这个过程可以通过使用 uupdate(1) 来更自动化地完成：",
    "aptitude(8) 使用一个交互式的文本界面来管理已安装的软件包和搜索可用的软件包。",
    "See dh_installdocs(1)",
    # short interface strings and forms with an optional ending
    "Delete file(s)",
    "Datei(en) löschen",
    "Ihr(e) Programm(e)",
    "Mitarbeiter(innen) gesucht",
]


@pytest.mark.parametrize("line", CODE)
def test_a_code_line_is_code_and_in_no_language(line):
    assert is_code(line)
    assert in_no_language(line)


@pytest.mark.parametrize("line", PROSE)
def test_prose_that_mentions_code_is_prose(line):
    assert not is_code(line)
    assert not in_no_language(line)
