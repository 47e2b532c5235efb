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
}
