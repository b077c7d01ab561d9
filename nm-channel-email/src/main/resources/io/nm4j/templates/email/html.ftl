<#-- The HTML part of the built-in e-mail; every value is HTML-escaped by the engine. -->
<#import "/nm.ftl" as nm>
<#macro alert a color>
<table style="border-collapse:collapse;margin:0 0 16px 0;border-left:4px solid ${color};" cellpadding="4">
<tr><td colspan="2"><strong>${a.name}</strong><#if a.summary?has_content>: ${a.summary}</#if></td></tr>
<#list a.labels as l>
<tr><td style="color:#555;">${l.name}</td><td>${l.value}</td></tr>
</#list>
<#list a.annotations as n>
<tr><td style="color:#555;">${n.name}</td><td>${n.value}</td></tr>
</#list>
<#if a.startsAt?has_content>
<tr><td style="color:#555;">${words.startsAt}</td><td>${a.startsAt}</td></tr>
</#if>
<#if a.endsAt?has_content>
<tr><td style="color:#555;">${words.endsAt}</td><td>${a.endsAt}</td></tr>
</#if>
<#if a.generatorURL?has_content || a.runbookURL?has_content>
<tr><td colspan="2"><#if a.generatorURL?has_content><a href="${a.generatorURL}">${words.source}</a></#if><#if a.runbookURL?has_content> <a href="${a.runbookURL}">${words.runbook}</a></#if></td></tr>
</#if>
</table>
</#macro>
<!DOCTYPE html>
<html lang="${language}"><head><meta charset="utf-8"><title>${nm.title()}</title></head><body style="font-family:sans-serif;">
<h1 style="font-size:18px;">${nm.title()}</h1>
<#list firing>
<h2 style="color:#c0392b;font-size:16px;">${words.firing} (${firing?size})</h2>
<#items as a>
<@alert a "#c0392b"/>
</#items>
</#list>
<#list resolved>
<h2 style="color:#27ae60;font-size:16px;">${words.resolved} (${resolved?size})</h2>
<#items as a>
<@alert a "#27ae60"/>
</#items>
</#list>
<#if truncatedNote?has_content>
<p><em>${truncatedNote}</em></p>
</#if>
</body></html>
