"""Apply option-text changes to questions/<area>.yaml.

    python3 review/unargued-round16/edit.py changes.tsv

Each line of changes.tsv: area<TAB>question id<TAB>option id<TAB>new text. The option's folded
(>-) text block is rewritten at the file's width (90 columns); prints before -> after with lengths.
"""
import re
import sys
import textwrap

for line in open(sys.argv[1], encoding='utf8'):
    if not line.strip() or line.startswith('#'):
        continue
    area, qid, opt, new = line.rstrip('\n').split('\t')
    path = f'questions/{area}.yaml'
    lines = open(path, encoding='utf8').read().split('\n')
    qi = next(i for i, l in enumerate(lines) if l.strip() == f'- id: {qid}')
    oi = next(
        i for i in range(qi + 1, len(lines))
        if lines[i] == f'      - id: {opt}' or lines[i].startswith(f'      - {{id: {opt}, text: "')
    )
    m = re.fullmatch(r'(      - \{id: \w+, text: )"((?:[^"\\]|\\.)*)"\}', lines[oi])
    if m:  # flow style: - {id: a, text: "..."}
        before = m.group(2).replace('\\"', '"').replace('\\\\', '\\')
        quoted = new.replace('\\', '\\\\').replace('"', '\\"')
        lines[oi] = f'{m.group(1)}"{quoted}"}}'
        open(path, 'w', encoding='utf8').write('\n'.join(lines))
        print(f'{qid}\t{opt}\t{len(before)}\t{before}\t{len(new)}\t{new}')
        continue
    ti = oi + 1
    if lines[ti].startswith('        text: ') and lines[ti] != '        text: >-':
        plain = lines[ti][len('        text: '):]
        if plain.startswith('"') and plain.endswith('"'):
            plain = plain[1:-1].replace('\\"', '"').replace('\\\\', '\\')
        assert not plain.startswith(("'", '|', '>')), (qid, opt, plain)
        safe = not re.search(r': | #|^[-?:,\[\]{}#&*!|>\'"%@`]', new) and not new.endswith(':')
        quoted = new.replace('\\', '\\\\').replace('"', '\\"')
        lines[ti] = '        text: ' + (new if safe else f'"{quoted}"')
        open(path, 'w', encoding='utf8').write('\n'.join(lines))
        print(f'{qid}\t{opt}\t{len(plain)}\t{plain}\t{len(new)}\t{new}')
        continue
    assert lines[ti] == '        text: >-', (qid, opt, lines[ti])
    end = ti + 1
    while end < len(lines) and lines[end].startswith('          '):
        end += 1
    before = ' '.join(l.strip() for l in lines[ti + 1:end])
    wrapped = ['          ' + w for w in textwrap.wrap(new, 80, break_long_words=False, break_on_hyphens=False)]
    lines[ti + 1:end] = wrapped
    open(path, 'w', encoding='utf8').write('\n'.join(lines))
    print(f'{qid}\t{opt}\t{len(before)}\t{before}\t{len(new)}\t{new}')
