"""Messages of `libsync share`, `libsync merge decide` and `libsync undo`."""

MESSAGES: dict[str, tuple[str, str]] = {
    # libsync share
    "help.share": (
        "Đặt phạm vi chia sẻ (share) và mức truy cập (access) cho nhiều biểu ghi cùng lúc, theo thư viện, loại, lớp, môn, bộ sách, bộ luân chuyển, từ khóa hoặc mã biểu ghi.",
        "Set the share and access levels of many records at once, chosen by library, type, grade, subject, series, rotation batch, search words or record ids.",
    ),
    "help.share.ids": ("Mã biểu ghi (THƯVIỆN/mã hoặc mã).", "Record ids (LIB/id or id)."),
    "help.share.library": ("Chỉ biểu ghi của thư viện này.", "Only this library's records."),
    "help.share.type": ("Chỉ loại tài liệu này (textbook, reference, story …); lặp lại được.", "Only this record type (textbook, reference, story …); repeatable."),
    "help.share.grade": ("Chỉ sách của lớp này (1–12); lặp lại được.", "Only books of this grade (1–12); repeatable."),
    "help.share.subject": ("Chỉ môn học hoặc chủ đề này (không phân biệt dấu); lặp lại được.", "Only this subject or subject heading (accents ignored); repeatable."),
    "help.share.series": ("Chỉ bộ sách này (như Kết nối tri thức với cuộc sống); lặp lại được.", "Only this series (such as Kết nối tri thức với cuộc sống); repeatable."),
    "help.share.batch": ("Chỉ biểu ghi thuộc bộ luân chuyển này (network.yaml).", "Only the records of this rotation batch (network.yaml)."),
    "help.share.query": ("Chỉ biểu ghi chứa mọi từ này (nhan đề, tác giả, chủ đề …; không phân biệt dấu, như libsync search).", "Only records holding every one of these words (title, author, subject …; accents ignored, as libsync search)."),
    "help.share.share": ("Phạm vi chia sẻ mới: internal (chỉ thư viện mình), network (cả mạng), public (mọi người).", "New share level: internal (own library), network (the whole network), public (everyone)."),
    "help.share.access": ("Mức truy cập mới: catalog (chỉ tra cứu), read (đọc), download (tải về).", "New access level: catalog (find only), read, download."),
    "help.share.verbose": ("Liệt kê mọi biểu ghi, không chỉ 10 biểu ghi đầu.", "List every record, not only the first 10."),
    "share.nothing_to_set": (
        "Hãy cho biết đặt gì: --share internal|network|public và/hoặc --access catalog|read|download.",
        "Say what to set: --share internal|network|public and/or --access catalog|read|download.",
    ),
    "share.no_filter": (
        "Hãy chọn biểu ghi: --library, --type, --grade, --subject, --series, --batch, --query hoặc mã biểu ghi (để tránh đổi cả mạng do sơ ý).",
        "Choose the records: --library, --type, --grade, --subject, --series, --batch, --query or record ids (so the whole network is never changed by accident).",
    ),
    "share.blank_filter": (
        "{option} \"{value}\" không có chữ nào để chọn biểu ghi (sẽ chọn nhầm cả loạt): hãy viết rõ, hoặc bỏ {option}.",
        "{option} \"{value}\" has no words to choose records by (it would choose far too many): write it out, or leave out {option}.",
    ),
    "share.unknown_records": (
        "Không có {n} biểu ghi: {ids}. Không ghi gì.",
        "{n} records do not exist: {ids}. Nothing written.",
    ),
    "share.summary": (
        "Khớp {matched} biểu ghi: đổi {changed}, giữ nguyên {unchanged} (đã đúng mức), không đổi được {refused}.",
        "{matched} records match: {changed} to change, {unchanged} already at that level, {refused} cannot be changed.",
    ),
    "share.more": ("… và {n} biểu ghi nữa (--verbose để xem hết).", "… and {n} more (--verbose lists them all)."),
    "share.refused_head": (
        "{n} biểu ghi chưa đủ thông tin để chia sẻ (Nghị định 93/2020, Điều 28) nên giữ nguyên; còn thiếu: {fields}.",
        "{n} records lack what sharing requires (Decree 93/2020 Art. 28) and stay as they are; missing: {fields}.",
    ),
    "share.lacks": ("thiếu {fields}", "lacks {fields}"),
    "share.invalid": ("`libsync validate` báo lỗi ở chính biểu ghi này, sửa trước: {problems}", "`libsync validate` rejects this record itself; fix it first: {problems}"),
    "field.invalid": ("lỗi khác (xem từng biểu ghi)", "other errors (see each record)"),
    "share.refused_hint": (
        "Bổ sung từ biểu ghi của các thư viện bạn: `libsync enrich --library {library}`; hoặc sửa từng biểu ghi: `libsync record set`.",
        "Complete them from partner libraries' records: `libsync enrich --library {library}`; or fix each record: `libsync record set`.",
    ),
    "share.confirm": ("Ghi thay đổi cho {n} biểu ghi?", "Write the change to {n} records?"),
    "share.not_confirmed": ("Không ghi gì.", "Nothing written."),
    "share.dry_run": ("(chạy thử: không ghi gì)", "(dry run: nothing written)"),
    "share.written": ("Đã ghi {n} biểu ghi.", "Wrote {n} records."),
    "share.committed": ("Đã commit: {sha}", "Committed: {sha}"),
    "share.commit_message": (
        "share: {n} biểu ghi ({libraries}) → {levels}",
        "share: {n} records ({libraries}) → {levels}",
    ),
    # libsync merge decide
    "help.merge.decide": (
        "Ghi quyết định của người biên mục về hai biểu ghi: cùng một ấn phẩm (--same, luôn gộp) hay khác nhau (--different, không bao giờ gộp), vào catalog/overrides.yaml.",
        "Record a cataloguer's decision about two records: the same edition (--same, always merge) or different (--different, never merge), in catalog/overrides.yaml.",
    ),
    "help.merge.decide.a": ("Biểu ghi thứ nhất (THƯVIỆN/mã).", "The first record (LIB/id)."),
    "help.merge.decide.b": ("Biểu ghi thứ hai (THƯVIỆN/mã).", "The second record (LIB/id)."),
    "help.merge.decide.same": ("Hai biểu ghi là một ấn phẩm: luôn gộp.", "The two records are one edition: always merge."),
    "help.merge.decide.different": ("Hai biểu ghi là hai ấn phẩm khác nhau: không bao giờ gộp.", "The two records are different editions: never merge."),
    "help.merge.decide.note": ("Lý do (ghi kèm quyết định).", "The reason (kept with the decision)."),
    "help.merge.decide.by": ("Người quyết định (tên hoặc tài khoản GitHub).", "Who decided (name or GitHub account)."),
    "catalog.decide.which": ("Hãy chọn một: --same (cùng ấn phẩm) hoặc --different (khác nhau).", "Choose one: --same (one edition) or --different (different editions)."),
    "catalog.decide.same_record": ("{record} là cùng một biểu ghi; hãy nêu hai biểu ghi khác nhau.", "{record} is one record; name two different records."),
    "catalog.decide.unknown_record": ("Không có biểu ghi {record} (viết THƯVIỆN/mã, như XS/xs-am-nhac-6-kntt).", "No record {record} (write LIB/id, such as XS/xs-am-nhac-6-kntt)."),
    "catalog.decide.in_group": (
        "{path}: {a} và {b} nằm trong một quyết định 'luôn gộp' {n} biểu ghi; hãy tách nhóm đó bằng tay (biểu ghi nào khác biểu ghi nào) rồi chạy lại.",
        "{path}: {a} and {b} are in an 'always merge' decision of {n} records; split that group by hand (which record differs from which) and run again.",
    ),
    "catalog.decide.same": ("cùng một ấn phẩm (luôn gộp)", "one edition (always merge)"),
    "catalog.decide.different": ("hai ấn phẩm khác nhau (không bao giờ gộp)", "different editions (never merge)"),
    "catalog.decide.added": ("Đã ghi vào {path}: {a} và {b} là {decision}.", "Recorded in {path}: {a} and {b} are {decision}."),
    "catalog.decide.changed": ("Đã ghi vào {path}: {a} và {b} là {decision} (thay quyết định cũ: {replaced}).", "Recorded in {path}: {a} and {b} are {decision} (replacing the earlier decision: {replaced})."),
    "catalog.decide.would_added": ("Sẽ ghi vào {path}: {a} và {b} là {decision}.", "Would record in {path}: {a} and {b} are {decision}."),
    "catalog.decide.would_changed": ("Sẽ ghi vào {path}: {a} và {b} là {decision} (thay quyết định cũ: {replaced}).", "Would record in {path}: {a} and {b} are {decision} (replacing the earlier decision: {replaced})."),
    "catalog.decide.unchanged": ("{path} đã ghi {a} và {b} là {decision}; không có gì thay đổi.", "{path} already says {a} and {b} are {decision}; nothing changed."),
    "catalog.decide.commit_message": ("merge decide: {a} và {b} là {decision}", "merge decide: {a} and {b} are {decision}"),
    "catalog.uncertain_hint": (
        "Quyết định từng cặp: `libsync merge decide THƯVIỆN/mã THƯVIỆN/mã --same` (cùng ấn phẩm) hoặc `--different`; quyết định được ghi vào catalog/overrides.yaml.",
        "Decide each pair: `libsync merge decide LIB/id LIB/id --same` (one edition) or `--different`; decisions are kept in catalog/overrides.yaml.",
    ),
    # libsync undo
    "help.undo": (
        "Hoàn tác commit gần nhất do libsync tạo, bằng một commit mới (lịch sử giữ nguyên). Từ chối nếu còn thay đổi chưa commit hoặc một commit sau đã sửa cùng tệp.",
        "Take back the last commit libsync made, as a new commit (history is kept). Refused while there are uncommitted changes or when a later commit changed the same files.",
    ),
    "undo.no_git": ("Kho dữ liệu này không phải kho Git (hoặc chưa có commit nào): không có gì để hoàn tác.", "This repository is not a Git repository (or has no commit yet): nothing to undo."),
    "undo.nothing": ("Không tìm thấy commit nào do libsync tạo trên nhánh này.", "No commit made by libsync on this branch."),
    "undo.not_simple": ("Commit {commit} ({subject}) là commit gộp nhánh hoặc commit đầu tiên: không hoàn tác được bằng libsync undo.", "Commit {commit} ({subject}) is a merge or the first commit: libsync undo cannot take it back."),
    "undo.dirty": (
        "Không hoàn tác: còn {n} tệp thay đổi chưa commit ({paths}). Hãy commit hoặc bỏ các thay đổi đó trước.",
        "Not undone: {n} files have uncommitted changes ({paths}). Commit or discard them first.",
    ),
    "undo.touched_later": (
        "Không hoàn tác {commit} ({subject}): commit sau {later} ({later_subject}) đã sửa cùng tệp: {paths}. Hoàn tác sẽ xóa cả thay đổi đó.",
        "Not undoing {commit} ({subject}): the later commit {later} ({later_subject}) changed the same files: {paths}. Undoing would take that change back too.",
    ),
    "undo.plan": ("Hoàn tác commit {commit} ({date}, {author}, lệnh `libsync {command}`): {subject}", "Undo commit {commit} ({date}, {author}, command `libsync {command}`): {subject}"),
    "undo.change.restored": ("khôi phục", "restore"),
    "undo.change.deleted": ("xóa (tệp do commit đó tạo)", "delete (made by that commit)"),
    "undo.change.re-created": ("tạo lại", "re-create"),
    "undo.confirm": ("Hoàn tác commit này?", "Undo this commit?"),
    "undo.done": ("Đã hoàn tác, commit mới: {sha}", "Undone, new commit: {sha}"),
    "undo.commit_message": ("undo: {subject}", "undo: {subject}"),
}
