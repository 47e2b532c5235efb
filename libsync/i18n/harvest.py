"""Messages of `libsync harvest` (OAI-PMH harvesting into a library's records)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- help ---------------------------------------------------------------------------------
    "help.harvest": (
        "Thu thập biểu ghi từ hệ thống thư viện khác qua OAI-PMH (Koha, DSpace, VuFind, mạng libsync khác) vào "
        "biểu ghi của một thư viện. Không nêu NGUỒN: thu thập lần lượt mọi nguồn khai báo ở network.yaml (sources:).",
        "Harvest records from another library system over OAI-PMH (Koha, DSpace, VuFind, another libsync network) "
        "into one library's records. With no SOURCE, every source declared in network.yaml (sources:) in turn.",
    ),
    "help.harvest.opt.source": (
        "Tên nguồn khai báo ở network.yaml, địa chỉ gốc OAI-PMH (http://…), hoặc tệp/địa chỉ kho tĩnh OAI (Static Repository).",
        "A source's name in network.yaml, a provider's OAI-PMH base URL (http://…), or an OAI Static Repository file or URL.",
    ),
    "help.harvest.opt.library": (
        "Mã thư viện nhận biểu ghi (bắt buộc với một địa chỉ; với nguồn khai báo: chỉ các nguồn của thư viện này).",
        "The library that receives the records (needed with a URL; with declared sources: only this library's).",
    ),
    "help.harvest.opt.prefix": (
        "Định dạng siêu dữ liệu (metadataPrefix). Mặc định: định dạng tốt nhất nguồn cung cấp, MARC trước Dublin Core.",
        "Metadata format (metadataPrefix). Default: the best the provider offers, MARC before Dublin Core.",
    ),
    "help.harvest.opt.set": ("Chỉ thu thập một tập (setSpec) của nguồn.", "Harvest only this set (setSpec)."),
    "help.harvest.opt.from": (
        "Chỉ lấy biểu ghi thay đổi từ ngày này (YYYY-MM-DD hoặc YYYY-MM-DDThh:mm:ssZ). Mặc định: từ lần thu thập trước.",
        "Only records changed from this date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ). Default: since the last harvest.",
    ),
    "help.harvest.opt.until": (
        "Chỉ lấy biểu ghi thay đổi đến ngày này (mốc thu thập khi đó không tiến lên).",
        "Only records changed until this date (the harvest's stored datestamp then does not move).",
    ),
    "help.harvest.opt.full": (
        "Thu thập lại toàn bộ, bỏ qua mốc của lần trước (harvest/<nguồn>.yaml).",
        "Harvest everything again, ignoring the last harvest's datestamp (harvest/<source>.yaml).",
    ),
    "help.harvest.opt.on_match": (
        "Khi biểu ghi đã có: update (cập nhật, mặc định), skip (bỏ qua), new (tạo biểu ghi mới).",
        "When a record is already here: update (default), skip, or new (create another record).",
    ),
    "help.harvest.opt.timeout": (
        "Số giây chờ nguồn trả lời trước khi bỏ cuộc (mặc định 60).",
        "Seconds to wait for the provider to answer before giving up (default 60).",
    ),
    "help.harvest.opt.retries": (
        "Số lần thử lại khi nguồn báo bận (HTTP 503), chờ theo Retry-After (mặc định 3).",
        "How many times to try again when the provider is busy (HTTP 503), waiting as Retry-After asks (default 3).",
    ),
    "help.harvest.opt.max_wait": (
        "Chờ tối đa bao nhiêu giây cho một lần Retry-After (mặc định 300); nguồn đòi lâu hơn thì dừng.",
        "The longest Retry-After waited for, in seconds (default 300); a provider asking more is given up.",
    ),

    # --- sources ------------------------------------------------------------------------------
    "harvest.no_sources": (
        "Chưa khai báo nguồn thu thập nào{library} ở network.yaml (sources:). Nêu một địa chỉ: "
        "libsync harvest http://… --library MÃ, hoặc thêm nguồn vào network.yaml (xem docs/oai.md).",
        "No harvest source is declared{library} in network.yaml (sources:). Name a URL: "
        "libsync harvest http://… --library CODE, or declare a source in network.yaml (see docs/oai.md).",
    ),
    "harvest.unknown_source": (
        "'{source}' không phải nguồn khai báo ở network.yaml, không phải địa chỉ http(s):// và không phải tệp có sẵn. "
        "Các nguồn đã khai báo: {names}.",
        "'{source}' is neither a source declared in network.yaml, nor an http(s):// URL, nor an existing file. "
        "Declared sources: {names}.",
    ),
    "harvest.none_declared": ("(chưa có)", "(none)"),
    "harvest.library_needed": (
        "Thu thập từ {source} vào thư viện nào? Thêm --library MÃ.",
        "Harvest {source} into which library? Add --library CODE.",
    ),
    "harvest.library_mismatch": (
        "Nguồn {source} được khai báo cho thư viện {declared}, không phải {library}.",
        "Source {source} is declared for library {declared}, not {library}.",
    ),
    "harvest.bad_date": (
        "{option} {value}: cần ngày dạng YYYY-MM-DD hoặc YYYY-MM-DDThh:mm:ssZ.",
        "{option} {value}: a date is YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.",
    ),
    "harvest.prefix_not_offered": (
        "Nguồn không cung cấp định dạng '{prefix}'. Nguồn có: {offered}.",
        "The provider does not offer the format '{prefix}'. It offers: {offered}.",
    ),
    "harvest.format_unknown": (
        "Không đọc được định dạng '{prefix}' (không gian tên {namespace}): libsync đọc MARCXML (marc21, marcxml) và Dublin Core (oai_dc).",
        "Cannot read the format '{prefix}' (namespace {namespace}): libsync reads MARCXML (marc21, marcxml) and Dublin Core (oai_dc).",
    ),
    "harvest.no_usable_format": (
        "Nguồn không có định dạng nào libsync đọc được (MARCXML hay Dublin Core). Nguồn có: {offered}.",
        "The provider offers no format libsync can read (MARCXML or Dublin Core). It offers: {offered}.",
    ),

    # --- the provider -------------------------------------------------------------------------
    "harvest.bad_source": (
        "Không tìm thấy tệp kho tĩnh {source}.", "No static repository file {source}.",
    ),
    "harvest.empty_response": (
        "{url} trả lời rỗng (yêu cầu {verb}, trang {page}).",
        "{url} gave an empty answer ({verb} request, page {page}).",
    ),
    "harvest.bad_xml": (
        "{url} trả về XML hỏng ở trang {page} (yêu cầu {verb}), dòng {line}: {reason}",
        "{url} returned malformed XML on page {page} ({verb} request), line {line}: {reason}",
    ),
    "harvest.not_oai": (
        "{url} không trả lời theo OAI-PMH (yêu cầu {verb}, trang {page}; kiểu {type}; bắt đầu bằng: {start}). "
        "Kiểm tra lại địa chỉ gốc OAI của hệ thống (Koha: …/cgi-bin/koha/oai.pl).",
        "{url} does not answer in OAI-PMH ({verb} request, page {page}; type {type}; it starts: {start}). "
        "Check the system's OAI base URL (Koha: …/cgi-bin/koha/oai.pl).",
    ),
    "harvest.not_static": (
        "{url} không phải kho tĩnh OAI (phần tử gốc {root}).",
        "{url} is not an OAI static repository (root element {root}).",
    ),
    "harvest.static_no_sets": (
        "Kho tĩnh {url} không có tập (set), không lọc được theo '{set}'.",
        "The static repository {url} has no sets: it cannot be filtered by '{set}'.",
    ),
    "harvest.no_header": (
        "Một biểu ghi ở trang {page} thiếu phần đầu (header) OAI-PMH.",
        "A record on page {page} has no OAI-PMH header.",
    ),
    "harvest.oai.bad_token": (
        "{url} từ chối mã tiếp tục (badResumptionToken) ở trang {page}: {text}. Danh sách đã thay đổi giữa chừng hoặc mã đã hết hạn; chạy lại lệnh.",
        "{url} refused the resumption token (badResumptionToken) on page {page}: {text}. The list changed or the token expired; run the command again.",
    ),
    "harvest.oai.bad_argument": (
        "{url} báo tham số sai (badArgument) cho yêu cầu {verb}: {text}. Kiểm tra --from, --until, --set.",
        "{url} reports a bad argument (badArgument) for the {verb} request: {text}. Check --from, --until and --set.",
    ),
    "harvest.oai.cannot_disseminate": (
        "{url} không cung cấp định dạng '{prefix}' (cannotDisseminateFormat): {text}.",
        "{url} cannot disseminate the format '{prefix}' (cannotDisseminateFormat): {text}.",
    ),
    "harvest.oai.no_sets": (
        "{url} không chia tập (noSetHierarchy), không thu thập riêng tập '{set}' được: {text}.",
        "{url} has no sets (noSetHierarchy): the set '{set}' cannot be harvested: {text}.",
    ),
    "harvest.oai.bad_verb": ("{url} báo lệnh sai (badVerb): {text}.", "{url} reports a bad verb (badVerb): {text}."),
    "harvest.oai.no_formats": (
        "{url} không có định dạng nào cho yêu cầu này (noMetadataFormats): {text}.",
        "{url} has no metadata format for this request (noMetadataFormats): {text}.",
    ),
    "harvest.oai.error": (
        "{url} báo lỗi OAI-PMH {code} (yêu cầu {verb}, trang {page}): {text}.",
        "{url} reports the OAI-PMH error {code} ({verb} request, page {page}): {text}.",
    ),
    "harvest.busy": (
        "{url} vẫn báo bận (HTTP 503) sau {tries} lần thử (trang {page}). Thử lại sau.",
        "{url} is still busy (HTTP 503) after {tries} tries (page {page}). Try again later.",
    ),
    "harvest.busy_long": (
        "{url} báo bận và đề nghị quay lại sau {seconds} giây, lâu hơn mức chờ {limit} giây (--max-wait). Thử lại sau.",
        "{url} is busy and asks to come back in {seconds} seconds, longer than the {limit} seconds allowed (--max-wait). Try again later.",
    ),
    "harvest.http_error": (
        "{url} trả lỗi HTTP {status} {reason} (yêu cầu {verb}, trang {page}).",
        "{url} answered HTTP {status} {reason} ({verb} request, page {page}).",
    ),
    "harvest.timeout": (
        "{url} không trả lời trong {seconds} giây (yêu cầu {verb}, trang {page}). Thử lại sau, hoặc tăng --timeout.",
        "{url} did not answer within {seconds} seconds ({verb} request, page {page}). Try later, or raise --timeout.",
    ),
    "harvest.unreachable": (
        "Không kết nối được {url} (trang {page}): {reason}",
        "Cannot connect to {url} (page {page}): {reason}",
    ),
    "harvest.http_failed": (
        "Yêu cầu tới {url} thất bại (trang {page}): {reason}",
        "The request to {url} failed (page {page}): {reason}",
    ),
    "harvest.token_loop": (
        "{url} trả lại một mã tiếp tục đã dùng ({token}) ở trang {page}: danh sách sẽ không bao giờ hết, dừng lại.",
        "{url} handed out a resumption token it gave before ({token}) on page {page}: the list would never end; stopped.",
    ),
    "harvest.failed_nothing_written": (
        "Nguồn {source}: không ghi gì vào kho; mốc thu thập giữ nguyên.",
        "Source {source}: nothing was written; the harvest datestamp did not move.",
    ),

    # --- records ------------------------------------------------------------------------------
    "harvest.where": ("biểu ghi {n} ({identifier}, trang {page})", "record {n} ({identifier}, page {page})"),
    "harvest.not_marc": (
        "phần siêu dữ liệu của {identifier} không phải một biểu ghi MARCXML",
        "the metadata of {identifier} is not a MARCXML record",
    ),
    "harvest.not_dc": (
        "phần siêu dữ liệu của {identifier} không phải Dublin Core (oai_dc:dc)",
        "the metadata of {identifier} is not Dublin Core (oai_dc:dc)",
    ),
    "interchange.match.oai": ("cùng định danh OAI với {id}", "same OAI identifier as {id}"),
    "harvest.withdraw_invalid": (
        "Không rút được bản sách của {file}: {reason}", "Cannot withdraw the copies of {file}: {reason}",
    ),
    "harvest.note.state_other": (
        "Lần thu thập trước ({file}) dùng địa chỉ, định dạng, tập hoặc thư viện khác: lần này thu thập toàn bộ.",
        "The last harvest ({file}) used another URL, format, set or library: this one harvests everything.",
    ),
    "harvest.note.no_deletions": (
        "Nguồn này không báo biểu ghi đã xoá (deletedRecord: no): sách nguồn xoá sẽ không tự rút ở đây.",
        "This provider does not report deleted records (deletedRecord: no): what it deletes is not withdrawn here.",
    ),
    "harvest.note.waited": (
        "Nguồn báo bận {n} lần; đã chờ tổng cộng {seconds} giây.",
        "The provider was busy {n} times; waited {seconds} seconds in all.",
    ),

    # --- report -------------------------------------------------------------------------------
    "harvest.report.source": (
        "Nguồn {source} ({url}) → thư viện {library}: {name}; định dạng {prefix}{set}; {range}.",
        "Source {source} ({url}) → library {library}: {name}; format {prefix}{set}; {range}.",
    ),
    "harvest.report.set": (", tập {set}", ", set {set}"),
    "harvest.report.range_all": ("toàn bộ", "everything"),
    "harvest.report.range_since": ("thay đổi từ {from} (lần thu thập trước)", "changed since {from} (the last harvest)"),
    "harvest.report.range": ("từ {from} đến {until}", "from {from} until {until}"),
    "harvest.report.nothing": (
        "Không có gì mới (noRecordsMatch).", "Nothing new (noRecordsMatch).",
    ),
    "harvest.report.withdrawn": (
        "Nguồn đã xoá {identifier} ({datestamp}): rút {n} bản của {id} — {barcodes}.",
        "The provider deleted {identifier} ({datestamp}): {n} copies of {id} withdrawn — {barcodes}.",
    ),
    "harvest.report.withdrawn_before": (
        "Nguồn đã xoá {identifier}: các bản của {id} đã rút từ trước.",
        "The provider deleted {identifier}: the copies of {id} were withdrawn before.",
    ),
    "harvest.report.away": (
        "Nguồn đã xoá {identifier}: bản {barcodes} của {id} đang luân chuyển, giữ nguyên (xử lý bằng libsync exchange).",
        "The provider deleted {identifier}: copies {barcodes} of {id} are away in a rotation and left as they are (see libsync exchange).",
    ),
    "harvest.report.not_here": (
        "{n} biểu ghi nguồn báo đã xoá không có ở thư viện này (bỏ qua).",
        "{n} records the provider reports deleted are not in this library (nothing to do).",
    ),
    "harvest.summary": (
        "Nguồn {source} → {library}: nhận {received} biểu ghi; tạo mới {created}, cập nhật {updated}, không đổi {unchanged}, "
        "bỏ qua {skipped}, từ chối {rejected}; nguồn báo xoá {deleted}, rút {copies} bản của {withdrawn} biểu ghi.",
        "Source {source} → {library}: received {received} records; created {created}, updated {updated}, unchanged {unchanged}, "
        "skipped {skipped}, rejected {rejected}; deleted at the source {deleted}, {copies} copies of {withdrawn} records withdrawn.",
    ),
    "harvest.report.state_moved": (
        "Lần thu thập sau bắt đầu từ {datestamp} ({file}).",
        "The next harvest starts from {datestamp} ({file}).",
    ),
    "harvest.report.state_kept_rejected": (
        "Có biểu ghi bị từ chối: mốc thu thập giữ nguyên, lần sau sẽ hỏi lại các biểu ghi này.",
        "Some records were rejected: the harvest datestamp stays, the next run asks for them again.",
    ),
    "harvest.report.state_kept_until": (
        "Có --until: mốc thu thập giữ nguyên.", "--until was given: the harvest datestamp stays.",
    ),
    "harvest.report.failed": ("Nguồn {source}: {error}", "Source {source}: {error}"),
    "harvest.commit_message": (
        "Thu thập OAI-PMH {source} vào {library}: tạo {created}, cập nhật {updated}, rút bản của {withdrawn} biểu ghi",
        "OAI-PMH harvest of {source} into {library}: {created} created, {updated} updated, copies of {withdrawn} records withdrawn",
    ),

    # --- validate -----------------------------------------------------------------------------
    "rule.harvest_name": (
        "Tệp trạng thái thu thập của nguồn '{source}' phải tên là harvest/{source}.yaml (đang là {name}.yaml).",
        "The harvest state of source '{source}' must be named harvest/{source}.yaml (it is {name}.yaml).",
    ),
}
